"""Overview: the state of the council at a glance, and where to look next."""

import streamlit as st

from council import tables, ui
from council.stats import overview

ui.ensure_app_navigation()
st.title("Joystream Council Dashboard")
st.caption(
    "Council elections, councillors' records, council spending and KPIs: one place, always "
    "current. Use the pages on the left; every table can be filtered and downloaded as CSV."
)

data = ui.council_data()
network = ui.network_or_stop(
    data.networks,
    "The cache is empty. Run `make run` to build it from the bundled snapshot, or refresh "
    "from a query node on the Data & refresh page.",
)

facts = overview.headline(data.for_network(network))
cols = st.columns(4)
cols[0].metric("Election rounds", f"{facts.rounds:,}")
cols[1].metric("Candidacies", f"{facts.candidacies:,}")
cols[2].metric("Members who ran", f"{facts.distinct_candidates:,}")
cols[3].metric("Votes cast", "not recorded" if facts.votes is None else f"{facts.votes:,}")
if facts.first_round_end is not None:
    st.caption(
        f"Rounds {facts.first_cycle}–{facts.last_cycle} on {network}, ended between "
        f"{facts.first_round_end:%Y-%m-%d} and {facts.last_round_end:%Y-%m-%d} (UTC)."
    )

st.subheader(f"Latest council (elected in round {facts.last_elected_cycle})")
latest = overview.latest_council(data.for_network(network))
ui.show_table(tables.council_table(latest), f"latest-council-{network}.csv")
st.page_link(
    "pages/elections.py", label="See every election round", icon=":material/arrow_forward:"
)
