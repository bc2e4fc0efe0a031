"""Council spending by category and term, from the chain and the secretary's categories file."""

from datetime import date

import streamlit as st

from council import charts, filters, tables, ui, uploads
from council.stats import spending

ui.ensure_app_navigation()
st.title("Council spending")
st.caption(
    "How the council's budget is used: funding requests from the chain, categorised with the "
    "council secretary's spending_proposal_categories.csv (testnet history comes from that file "
    "alone, in tJOY). Uncategorised spending is flagged ⚠ so it can be categorised next."
)


@st.cache_resource(show_spinner="Computing spending…", max_entries=4)
def spending_items(cache_key: tuple[str, float], uploads_key: float):
    """Every spending item (shared, read-only; per cache file and categories version)."""
    d = ui.council_data()
    categories = uploads.current(uploads.SPENDING_CATEGORIES.name)
    return spending.spending_items(categories, d.proposals, d.councils)


items = spending_items(ui.cache_key(), ui.uploads_key())
if items.empty:
    ui.empty_state("No spending recorded yet: no funding requests and no categorised rows.")
    st.stop()

# --- Filters, mirrored in the URL ------------------------------------------------------------
terms = list(dict.fromkeys(items["term"].dropna()))
categories = sorted(items["category"].unique())
dated = items["decided_at_time"].dropna()
with st.sidebar:
    st.header("Filters")
    chosen_terms = st.multiselect(
        "Term / testnet", terms, filters.keep_known(ui.param_list("term"), set(terms)), key="terms"
    )
    chosen_categories = st.multiselect(
        "Category",
        categories,
        filters.keep_known(ui.param_list("category"), set(categories)),
        key="categories",
    )
    date_range = None
    if len(dated):
        first_day, last_day = dated.min().date(), dated.max().date()
        start = filters.parse_date(st.query_params.get("from"), first_day, first_day, last_day)
        end = filters.parse_date(st.query_params.get("to"), last_day, first_day, last_day)
        picked = st.date_input("Decided between", (start, end), first_day, last_day, key="dates")
        date_range = tuple(picked) if len(picked) == 2 else (start, end)
        if date_range == (first_day, last_day):
            date_range = None
    min_amount = st.number_input(
        "Minimum amount (JOY)", min_value=0, value=ui.param_int("min") or 0, step=1000, key="min"
    )
ui.set_params(
    term=chosen_terms,
    category=chosen_categories,
    **{
        "from": date_range[0] if date_range else None,
        "to": date_range[1] if date_range else None,
    },
    min=min_amount or None,
)
shown = spending.filter_items(items, chosen_terms, chosen_categories, date_range, min_amount)

cols = st.columns(3)
cols[0].metric("Spent (JOY)", f"{shown['amount_joy'].sum():,.0f}")
cols[1].metric("Proposals", f"{len(shown):,}")
flagged = int(shown["uncategorised"].sum())
cols[2].metric("Uncategorised", f"{flagged:,}")
if flagged:
    st.warning(f"{flagged:,} spending proposals have no category yet.", icon="⚠️")

st.subheader("By category")
by_category = spending.totals_by(shown, ["category"])
left, right = st.columns([3, 2])
with left:
    ui.show_table(tables.totals_table(by_category), "spending-by-category.csv")
with right:
    if not by_category.empty:
        st.altair_chart(charts.category_shares(by_category), width="stretch")

st.subheader("By term")
by_term = spending.totals_by(shown, ["term", "category"])
if not by_term.empty:
    st.altair_chart(charts.spending_by_term(by_term), width="stretch")
ui.show_table(tables.totals_table(by_term), "spending-by-term.csv")

if shown["decided_at_time"].notna().any():
    st.subheader("Over time")
    st.altair_chart(charts.spending_over_time(shown), width="stretch")

st.subheader("Proposals behind the numbers")
ui.show_table(tables.spending_table(shown), "spending-proposals.csv", height=400)

with st.expander("Periodic report (markdown for the forum, CSV for the records)"):
    period = f"{date_range[0]} to {date_range[1]}" if date_range else "all dates"
    st.markdown(f"Totals for **{period}**, with the filters above.")
    report = spending.markdown_table(by_category)
    st.code(report, language="markdown")
    st.download_button(
        "Download report (.md)", report, f"spending-report-{date.today()}.md", "text/markdown"
    )
