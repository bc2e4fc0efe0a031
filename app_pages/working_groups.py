"""Working groups: each group's lead, workers, budget and spending, term by term."""

import streamlit as st

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

lo, hi = views.term_bounds(p)
group_ids = stats.group_ids(p.frames)
with st.sidebar:
    st.header("Filters")
    term_range = ui.url_int_range("Terms", "terms", lo, hi, scope=network)
    group = ui.url_selectbox(
        "Group in detail", "group", group_ids, scope=network, format_func=stats.group_label
    )


view = ui.wg_range_view(network, tuple(term_range))
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
ui.chart(view.budget_chart, view.chart_note)
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
    workers, leads, events = ui.wg_group_view(network, group)
    label = stats.group_label(group)
    st.subheader(f"{label} in detail")
    st.markdown("**Workers** (rewards and stakes as the query node has them now)")
    ui.show_table(workers, f"working-group-{group}-workers.csv")
    st.markdown("**Leads**")
    ui.show_table(leads, f"working-group-{group}-leads.csv")
    st.markdown("**Events, oldest first**")
    ui.show_table(events, f"working-group-{group}-events.csv", height=400)
