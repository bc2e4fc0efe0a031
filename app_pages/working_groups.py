"""Working groups: each group's lead, workers, budget and spending, term by term."""

from pathlib import Path

import streamlit as st

from council import data as cache
from council import ui
from council.working_groups import stats, views

st.title("Working groups")
st.caption(
    "How each working group is doing: its lead, its workers (hired, terminated, left), its "
    "budget (refilled by the council, spent by the lead, paid out as worker and lead "
    "rewards) and the rewards it owes, for the terms you pick."
)

data = ui.council_data()
network = ui.network_or_stop(
    data.networks, "No council data yet. Refresh from a query node on the Data page."
)


p = ui.working_groups(network)
if p is None:
    ui.empty_state(
        f"No working-group data for {network}. Working-group data (groups, workers, budgets, "
        "rewards) comes from a query node refresh (Data & refresh page): the bundled "
        "snapshot and the council archives do not hold any."
    )
    st.stop()

known_terms = sorted(set(p.terms["term"]))
lo, hi = (known_terms[0], known_terms[-1]) if known_terms else (0, 0)
group_ids = stats.group_ids(p.frames)
with st.sidebar:
    st.header("Filters")
    term_range = ui.url_int_range("Terms", "terms", lo, hi, scope=network)
    group = ui.url_selectbox(
        "Group in detail", "group", group_ids, scope=network, format_func=stats.group_label
    )


@st.cache_resource(show_spinner="Preparing the tables and charts…", max_entries=32)
def range_view(cache_key, network, term_range):
    """The per-group table, totals and charts for one term range (shared, read-only: a
    rerun lays them out without copying them)."""
    return views.range_view(ui.working_groups(network), term_range)


@st.cache_resource(show_spinner="Preparing the group's tables…", max_entries=32)
def group_view(cache_key, network, group):
    """One group's workers, leads and events tables (shared, read-only); the group's reward
    payments read on their own, one row each."""
    rewards = cache.load_wg_rewards(Path(cache_key[0]), network, group)
    return views.group_view(ui.working_groups(network), group, rewards)


view = range_view(ui.cache_key(), network, tuple(term_range))
cols = st.columns(4)
cols[0].metric("Workers at the end", f"{view.totals['workers']:,.0f}")
cols[1].metric("Budgets at the end (JOY)", f"{view.totals['budget_end']:,.0f}")
cols[2].metric("Spent (JOY)", f"{view.totals['spent']:,.0f}")
cols[3].metric("Missed rewards owed (JOY)", f"{view.totals['debt']:,.0f}")

st.subheader(f"Per group, terms {term_range[0]}–{term_range[1]}")
ui.show_table(view.summary, "working-groups.csv")
st.caption(
    "Budget at start: before the range's first block; at end: after its last. Refilled: the "
    "council's net top-ups (budget updates, and what a budget set changed), so start + "
    "refilled − spending − worker rewards − lead rewards = end. A reward paid to a worker "
    "while they were lead counts as a lead reward. Workers: in the role at the end (those "
    "leaving included). Missed rewards owed: each remaining worker's last reported missed "
    "reward level. Slashed: stake slashed in the range."
)

st.subheader("Budgets over time")
if view.budget_chart:
    st.vega_lite_chart(view.budget_chart, width="stretch")
if view.chart_note:
    st.caption(view.chart_note)
left, right = st.columns(2)
with left:
    st.markdown("**Spent per term** (spending and rewards)")
    if view.spending_chart:
        st.vega_lite_chart(view.spending_chart, width="stretch")
with right:
    st.markdown("**Workers at each term's end**")
    if view.headcount_chart:
        st.vega_lite_chart(view.headcount_chart, width="stretch")

if group is not None:
    workers, leads, events = group_view(ui.cache_key(), network, group)
    label = stats.group_label(group)
    st.subheader(f"{label} in detail")
    st.markdown("**Workers** (rewards and stakes as the query node has them now)")
    ui.show_table(workers, f"working-group-{group}-workers.csv")
    st.markdown("**Leads**")
    ui.show_table(leads, f"working-group-{group}-leads.csv")
    st.markdown("**Events, oldest first**")
    ui.show_table(events, f"working-group-{group}-events.csv", height=400)
