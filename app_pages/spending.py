"""Council spending by category and term, from the chain and the secretary's categories file."""

from datetime import date

import streamlit as st

from council import budget_view, filters, spending_checks, tables, ui, uploads, views
from council.stats import reconcile, reimbursement, spending

st.title("Council spending")
st.caption(
    "How the council's budget is used: funding requests from the chain, categorised with the "
    "council secretary's spending_proposal_categories.csv (testnet history comes from that file "
    "alone, in tJOY). Only paid proposals count (chain: executed; file: Approved). "
    "Uncategorised spending is flagged ⚠ so it can be categorised next."
)


@st.cache_data(show_spinner=False, max_entries=16)
def budget_terms_view(cache_key: tuple[str, float], network: str, terms: tuple[int, int]):
    """The budget's chart and table for one network and range of terms (cached)."""
    return views.council_budget_view(ui.council_budget(network), terms)


def budget_section() -> None:
    """The council budget per term, with its own network and term filters (in the URL)."""
    networks = filters.network_options(ui.council_data().networks)
    if not networks:
        return
    st.subheader("Council budget per term")
    with st.sidebar:
        st.header("Council budget")
        network = ui.url_selectbox("Budget network", "budget_network", networks)
        table = ui.council_budget(network)
        low, high = (int(table["term"].min()), int(table["term"].max())) if len(table) else (0, 0)
        terms = ui.url_int_range("Budget terms", "budget_terms", low, high, scope=network)
    if table.empty:
        ui.empty_state(f"No council terms on {network}.")
        return
    st.caption(budget_view.NOTE)
    shown = budget_terms_view(ui.cache_key(), network, tuple(terms))
    ui.chart(shown.chart, shown.chart_note)
    ui.show_table(shown.table, f"council-budget-{network}.csv")


@st.cache_resource(show_spinner=False, max_entries=4)
def spending_rows(cache_key: tuple[str, float], uploads_key: float):
    """Every spending item's display row, formatted once (shared, read-only)."""
    return views.formatted_rows(tables.spending_table, ui.spending_items())


# A shared resource, not cache_data: the same view object on every rerun, whose long tables
# ui.show_table then converts once (read-only).
@st.cache_resource(show_spinner="Preparing the tables and charts…", max_entries=16)
def spending_view(cache_key, uploads_key, terms, categories, date_range, min_amount):
    """The page's tables and charts for one filter state (cached)."""
    every_item = ui.spending_items()
    formatted = spending_rows(cache_key, uploads_key)
    return views.spending_view(every_item, terms, categories, date_range, min_amount, formatted)


@st.cache_data(show_spinner=False, max_entries=4)
def unpaid_minted(uploads_key: float):
    """File rows with an amount minted but a status that did not pay (cached per version)."""
    categories = ui.current_upload(uploads.SPENDING_CATEGORIES.name)
    return tables.unpaid_minted_table(spending.unpaid_minted(categories))


@st.cache_data(show_spinner=False, max_entries=4)
def owed(cache_key: tuple[str, float], uploads_key: float):
    """Bounty payments not reimbursed yet, and their totals per network and term (cached)."""
    categories = ui.current_upload(uploads.SPENDING_CATEGORIES.name)
    d = ui.council_data()
    listed = reimbursement.report_terms(d.proposals, d.councils)
    rows = reimbursement.pending(categories, ui.spending_items(), listed)
    return (
        spending_checks.pending_table(rows),
        spending_checks.pending_totals_table(reimbursement.totals(rows)),
        spending_checks.owed_text(reimbursement.totals(rows, by=("network",))),
    )


def spending_section() -> None:
    """Spending by category, term and time with its filters (in the URL); the periodic report."""
    items = ui.spending_items()
    if items.empty:
        ui.empty_state("No spending recorded yet: no funding requests and no categorised rows.")
        return

    # Filters, mirrored in the URL
    terms = list(dict.fromkeys(items["term"].dropna()))
    categories = sorted(items["category"].unique())
    dated = items["decided_at_time"].dropna()
    with st.sidebar:
        st.header("Filters")
        chosen_terms = ui.url_multiselect("Term / testnet", "term", terms, key="terms")
        chosen_categories = ui.url_multiselect("Category", "category", categories, key="categories")
        date_range = None
        if len(dated):
            first_day, last_day = dated.min().date(), dated.max().date()
            date_range = ui.url_date_range("Decided between", first_day, last_day)
        min_amount = ui.url_int("Minimum amount (JOY)", "min", 0, None, 0, key="min", step=1000)

    view = spending_view(
        ui.cache_key(), ui.uploads_key(), chosen_terms, chosen_categories, date_range, min_amount
    )
    cols = st.columns(3)
    cols[0].metric("Spent (JOY)", f"{view.spent_joy:,.0f}")
    cols[1].metric("Proposals", f"{view.proposals:,}")
    cols[2].metric("Uncategorised", f"{view.uncategorised:,}")
    if view.uncategorised:
        st.warning(f"{view.uncategorised:,} spending proposals have no category yet.", icon="⚠️")

    unpaid = unpaid_minted(ui.uploads_key())
    if len(unpaid):
        st.warning(
            f"{len(unpaid):,} rows of the categories file have an Amount Minted but a status that "
            "did not pay (not counted above): please check them.",
            icon="⚠️",
        )
        ui.table_in_expander(
            "Rows to check in spending_proposal_categories.csv",
            unpaid,
            "spending-minted-not-paid.csv",
            key="unpaid-rows",
        )

    st.subheader("By category")
    left, right = st.columns([3, 2])
    with left:
        ui.show_table(view.category_table, "spending-by-category.csv")
    with right:
        if view.category_chart:
            st.vega_lite_chart(view.category_chart, width="stretch")

    st.subheader("By term")
    ui.chart(view.term_chart, view.term_chart_note)
    ui.show_table(view.term_table, "spending-by-term.csv")

    if view.time_chart:
        st.subheader("Over time")
        st.vega_lite_chart(view.time_chart, width="stretch")

    st.subheader("Proposals behind the numbers")
    ui.show_table(
        view.proposal_table, "spending-proposals.csv", height=400, chunk_rows=ui.CHUNK_ROWS
    )

    period = f"{date_range[0]} to {date_range[1]}" if date_range else "all dates"
    ui.markdown_source(
        "Periodic report (markdown for the forum)",
        view.report,
        key="spending-report",
        note=f"Totals for **{period}**, with the filters above.",
    )
    st.download_button(
        "Download the periodic report (.md)",
        view.report,
        f"spending-report-{date.today()}.md",
        "text/markdown",
    )


def check_section() -> None:
    """The secretary's spending file checked against the funding requests on chain."""
    st.subheader("The spending file checked against the chain")
    st.caption("The whole file and every funding request.")
    fetched = reconcile.fetched_networks(ui.council_data().proposals)
    if not fetched:
        ui.empty_state(
            "This needs funding requests fetched from a query node (Data & refresh): the bundled "
            "data's proposals come from the council's term reports, not from the chain."
        )
        return
    network = ui.url_selectbox("Network to check", "check", fetched, key="check")
    result, check_tables = ui.spending_file_check(network)
    share = result.categorised.share
    cols = st.columns(4)
    cols[0].metric("On chain, not in the file", f"{len(result.missing):,}")
    cols[1].metric("In the file, not on chain", f"{len(result.unknown):,}")
    cols[2].metric("Cells that disagree", f"{len(result.disagreements):,}")
    cols[3].metric("Paid spending categorised", "–" if share is None else f"{share:.1%}")
    st.caption(
        f"{result.categorised.categorised:,} of {result.categorised.proposals:,} executed "
        f"funding requests ({result.categorised.categorised_joy:,.0f} of "
        f"{result.categorised.amount_joy:,.0f} JOY) have a category in the file."
    )
    if result.agrees:
        st.success(f"The file agrees with every {network} funding request on chain.")
    for label, frame, name in check_tables:
        if len(frame):
            ui.table_in_expander(
                f"{label}: {len(frame):,}",
                frame,
                f"spending-check-{network}-{name}.csv",
                key=f"check-{name}",
            )
    if len(result.missing_rows):
        ui.csv_download(
            result.missing_rows,
            f"spending-missing-rows-{network}.csv",
            "Download the missing rows in the file's columns (ready to paste)",
        )


def reimbursement_section() -> None:
    """Bounty payments the file does not mark as reimbursed by Jsgenesis."""
    st.subheader("Bounties pending reimbursement by Jsgenesis")
    st.caption(
        "Bounty payments the council made (a Bounty in the file, paid) that the file's Reimbursed "
        "column does not mark `Y` (`N`, or blank: not recorded), in the whole file."
    )
    pending_rows, pending_totals, owed_in_all = owed(ui.cache_key(), ui.uploads_key())
    if pending_rows.empty:
        ui.empty_state("No bounty payment is waiting for reimbursement.")
    else:
        st.markdown(owed_in_all)
        ui.show_table(pending_totals, "bounties-pending-reimbursement-totals.csv")
        ui.table_in_expander(
            f"Payments not reimbursed: {len(pending_rows):,}",
            pending_rows,
            "bounties-pending-reimbursement.csv",
            key="pending-rows",
        )


# The page's parts as tabs, only the open one drawn: together they were the longest page for a
# browser to lay out (issue 17). ?section=... opens one.
ui.section_tabs(
    {
        "Spending": spending_section,
        "Budget per term": budget_section,
        "File check": check_section,
        "Reimbursements": reimbursement_section,
    },
    key="section",
)
