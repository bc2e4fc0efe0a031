"""KPI progress per council term: current term first, the trend across terms, a status post."""

from datetime import UTC, datetime

import streamlit as st

from council import format, tables, ui, uploads, views
from council.stats import kpis

st.title("KPI progress")
st.caption(
    "Council KPIs (and, on mainnet, OKR key results) as the council secretary reports them, "
    "with deadlines, rewards and penalty terms. Overdue and at-risk items stand out "
    f"(at risk: open, deadline within {kpis.AT_RISK.days_left} days, progress below "
    f"{kpis.AT_RISK.progress_below:.0f} %)."
)
today = datetime.now(UTC).date()


@st.cache_data(show_spinner="Reading KPIs…")
def kpi_items(uploads_key: float, today):
    """The current KPI file, typed (cached per uploaded version and day)."""
    return kpis.kpi_items(uploads.current(uploads.KPIS.name), today)


network = ui.network_picker(ui.council_data().networks)
kpi_rewards = ui.council_data().kpi_rewards
items = kpis.items_of_network(kpi_items(ui.uploads_key(), today), network, kpi_rewards)
terms = kpis.term_order(items)
owners = sorted(o for o in items["owner"].unique() if o)
statuses = sorted(items["status"].unique())
with st.sidebar:
    st.header("Filters")
    # Terms are one network's (they start over on another); owners and statuses are not.
    chosen_terms = ui.url_multiselect("Term", "term", terms, scope=network or "")
    chosen_owners = ui.url_multiselect("Owner", "owner", owners)
    chosen_statuses = ui.url_multiselect("Status", "status", statuses)
if items.empty:
    ui.empty_state(
        f"No KPIs recorded yet{f' for {network}' if network else ''}. "
        "The secretary can upload a KPI file."
    )
    st.stop()
shown = kpis.filter_items(items, chosen_terms, chosen_owners, chosen_statuses)

# The current term is the chosen network's own: a term of another network or era never is.
current = chosen_terms[0] if chosen_terms else kpis.current_term(items, network, kpi_rewards)
if current is None:
    ui.empty_state(f"The KPI file has no term of {network or 'this data'}.")
else:
    over = kpis.term_is_over(items, current, today)
    st.subheader(f"{'Latest term (over)' if over else 'Current term'}: {current}")
    mine = shown[shown["term"] == current]
    unreported = int(mine["unreported"].sum())
    cols = st.columns(4)
    cols[0].metric("KPIs", len(mine))
    cols[1].metric("Done", int((mine["status"] == "done").sum()))
    cols[2].metric(
        "Overdue",
        int(mine["overdue"].sum()),
        help=f"{unreported} of them with no status reported." if unreported else None,
    )
    cols[3].metric("At risk", int(mine["at_risk"].sum()))
    flagged = mine[mine["overdue"] | mine["at_risk"]]
    for row in flagged.head(5).itertuples():
        label = "overdue" if row.overdue else f"at risk ({row.days_left} days left)"
        progress = format.percent(row.progress)
        st.warning(f"**{row.kpi} {row.title}**: {label}, progress {progress}", icon="⚠️")
    if len(flagged) > 5:
        st.warning(f"… and {len(flagged) - 5} more overdue or at-risk KPIs (see the table).")
    if unreported:
        st.info(f"{unreported} KPIs are past their deadline with no status reported.", icon="ℹ️")
    for row in mine[mine["penalty"].fillna("") != ""].itertuples():
        st.error(f"**Penalty terms of {row.kpi}:** {row.penalty}", icon="❗")
    ui.show_table(tables.kpi_table(mine), f"kpis-{current}.csv")
    ui.markdown_source(
        "Status post for the forum (markdown)",
        kpis.status_post(items, current, today),
        key="status-post",
    )


@st.cache_data(show_spinner="Summarising the terms…", max_entries=32)
def kpi_terms_view(uploads_key: float, cache_key, today, network, terms, owners, statuses):
    """Completion and rewards per term for one filter state (cached)."""
    rewards = ui.council_data().kpi_rewards
    here = kpis.items_of_network(kpi_items(uploads_key, today), network, rewards)
    chosen = kpis.filter_items(here, terms, owners, statuses)
    return views.kpi_terms_view(chosen)


st.subheader("Across terms")
across = kpi_terms_view(
    ui.uploads_key(), ui.cache_key(), today, network, chosen_terms, chosen_owners, chosen_statuses
)
ui.show_table(across.table, "kpi-terms.csv")
if across.chart:
    st.vega_lite_chart(across.chart, width="stretch")

st.subheader("All KPIs")
ui.show_table(tables.kpi_table(shown), "kpis.csv", height=360)


@st.cache_data(show_spinner="Reading the chain's figures…")
def chain_indicators(cache_key, network):
    """Per-term figures from the cache (cached per cache version)."""
    _, rounds = ui.election_results(network)
    _, card = ui.term_tables(network)
    return tables.chain_indicator_table(kpis.chain_indicators(card, rounds))


if network:
    st.subheader(f"From the chain ({network})")
    st.caption("Figures a KPI may rest on, computed from the cache, per term.")
    ui.show_table(chain_indicators(ui.cache_key(), network), f"kpi-chain-{network}.csv")
    rewards = ui.council_data().for_network(network).kpi_rewards
    if not rewards.empty:
        st.subheader(f"KPI rewards per councillor ({network})")
        st.caption(
            "What each councillor earned from the council's KPIs, per the council's KPI "
            "earnings record (kpi_earnings_per_term.json, KPI rounds 1–18)."
        )
        totals = tables.kpi_reward_table(kpis.kpi_rewards_by_member(rewards))
        ui.show_table(totals, f"kpi-rewards-{network}.csv")
