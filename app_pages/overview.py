"""Overview: the state of the council at a glance, and where to look next."""

import streamlit as st

from council import budget_view, tables, ui
from council.format import block_with_date
from council.stats import overview

st.title("Joystream Council Dashboard")
st.caption(
    "Council elections, councillors' records, council spending and KPIs in one place. Every "
    "page is in the menu (on a phone, open it with the » button at the top left); every table "
    "can be filtered and downloaded as CSV."
)

data = ui.council_data()
network = ui.network_or_stop(
    data.networks,
    "The cache is empty. Run `make run` to build it from the bundled snapshot, or refresh "
    "from a query node on the Data & refresh page.",
)


@st.cache_data(show_spinner=False, max_entries=8)
def headline(cache_key: tuple[str, float], network: str) -> overview.Headline:
    """The network's totals."""
    return overview.headline(ui.council_data().for_network(network))


facts = headline(ui.cache_key(), network)
cols = st.columns(4)
cols[0].metric("Election rounds", f"{facts.rounds:,}")
cols[1].metric("Candidacies", f"{facts.candidacies:,}")
cols[2].metric("Members who ran", f"{facts.distinct_candidates:,}")
cols[3].metric("Votes cast", "not recorded" if facts.votes is None else f"{facts.votes:,}")
if facts.first_round_end is not None:
    st.caption(
        f"Rounds {facts.first_cycle}–{facts.last_cycle} on {network}, ended between "
        f"{facts.first_round_end:%Y-%m-%d} and {facts.last_round_end:%Y-%m-%d} (UTC). "
        + (overview.missing_rounds_note(data.for_network(network).rounds["cycle_id"]) or "")
    )
end = ui.data_ends().get(network)
if end is not None:
    st.caption(
        f"The data on {network} ends at block {block_with_date(end.block, end.time, end.estimated)}"
        ": nothing after it is shown."
    )


card, note = st.columns([1, 3])
value, caption = budget_view.so_far_text(ui.budget_so_far(network))
card.metric("Council budget spent this term", value, help=budget_view.SO_FAR_HELP)
note.caption(caption)
note.page_link(
    "app_pages/spending.py",
    label="Budget per term",
    icon=":material/arrow_forward:",
    query_params={"section": "Budget per term"},
)

st.subheader(overview.latest_council_heading(facts))
latest = overview.latest_council(data.for_network(network))
ui.show_short_table(tables.council_table(latest), f"latest-council-{network}.csv")
st.page_link(
    "app_pages/elections.py", label="See every election round", icon=":material/arrow_forward:"
)
