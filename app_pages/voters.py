"""Voters: who votes in council elections, how concentrated the vote is, one account's votes."""

from pathlib import Path

import streamlit as st

from council import ui
from council.data import load_account_votes
from council.voters import view as voters

st.title("Voters")
st.caption(
    "Who votes in council elections: voting accounts per round, returning and new voters, how "
    "concentrated the vote stake is, and whether the unrevealed votes could have changed who "
    "was elected. A voter is an account (the chain records accounts, not members). Amounts in "
    "JOY."
)

data = ui.council_data()
network = ui.network_or_stop(
    data.networks, "No election data yet. Refresh from a query node on the Data page."
)


# A shared resource, not cache_data: the same view object on every rerun, whose long tables
# ui.show_table then converts once (read-only).
@st.cache_resource(show_spinner="Preparing the tables and charts…", max_entries=16)
def voters_view(cache_key, network, cycle_range) -> voters.VotersView:
    """The page's tables and charts for one round range (cached)."""
    return voters.voters_view(ui.voter_stats(network), cycle_range)


stats = ui.voter_stats(network)
lo, hi = int(stats.rounds["cycle_id"].min()), int(stats.rounds["cycle_id"].max())
with st.sidebar:
    st.header("Filters")
    cycle_range = ui.url_int_range("Rounds", "rounds", lo, hi, scope=network)
    account = ui.url_text("Voter account", "account", scope=network).strip()

view = voters_view(ui.cache_key(), network, tuple(cycle_range))
for column, (label, value) in zip(st.columns(4), view.headline.items(), strict=True):
    column.metric(label, value)
if view.note:
    st.caption(view.note)

st.subheader("Voters per round")
ui.show_table(view.round_table, f"voters-per-round-{network}.csv")
ui.chart_tabs(view.trends, key="voter-trend")

st.subheader("Could the unrevealed votes have changed the result?")
st.caption(
    "An unrevealed vote counts for nobody. Had its stake been revealed for the first candidate "
    "not elected, would it have passed the last elected seat? Yes when the unrevealed stake is "
    "larger than the margin between the two. A running round compares the places so far."
)
ui.show_table(view.change_table, f"unrevealed-votes-{network}.csv")

st.subheader("Voters across the rounds")
if view.voter_table.empty:
    ui.empty_state("No vote is recorded in the shown rounds.")
else:
    st.caption("Sort by any column; the download keeps whole account addresses.")
    ui.show_table(view.voter_table, f"voters-{network}.csv", height=420, chunk_rows=ui.CHUNK_ROWS)

st.subheader("One account's votes")
if not account:
    ui.empty_state("Type a voter account in the sidebar (or open `?account=…`) to see its votes.")
    st.stop()
cast = load_account_votes(Path(ui.cache_key()[0]), network, account)
table, totals = voters.account_view(cast, stats.results, account)
if table.empty:
    ui.empty_state(f"No vote by account {account} in the {network} data.")
    st.stop()
st.caption(f"Account `{account}`: every vote in the data, in every round.")
for column, (label, value) in zip(st.columns(len(totals)), totals.items(), strict=True):
    column.metric(label, f"{value:,.0f}" if isinstance(value, float) else f"{value:,}")
ui.show_table(table, f"votes-of-{account[:12]}-{network}.csv")
