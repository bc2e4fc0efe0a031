"""Election history: every council election on one page, with statistics per round."""

from datetime import date

import streamlit as st

from council import tables, ui, views
from council.archive import views as archive_views
from council.stats import elections, failed_elections, overview

st.title("Election history")
st.caption(
    "Every council election round: who ran, who was elected, stakes, votes and vote power. "
    "Amounts in JOY; blocks with their UTC date (~ marks a date estimated from the block)."
)

data = ui.council_data()
network = ui.network_or_stop(
    data.networks,
    "No election data yet. Refresh from a query node on the Data page.",
)


results, summary = ui.election_results(network)
rounds_here = data.rounds[data.rounds["network"] == network]
missing_note = overview.missing_rounds_note(rounds_here["cycle_id"])
if missing_note:
    st.caption(missing_note)
if not rounds_here["losers_recorded"].all():
    st.info(
        "Some rounds come from records that list only the elected seats: candidates who lost "
        "are not recorded there, so their rounds show winners only. Their candidates, "
        "candidates per seat and votes cast are the election totals of the council's "
        "tokenomics reports or the Alexandria leaderboard where these give them, else not "
        "recorded.",
        icon="ℹ️",
    )

# --- Filters (sidebar), mirrored in the URL so a filtered view can be shared -----------------
lo, hi = views.cycle_bounds(summary)
ended = summary["ended_at_time"].dropna()
first_day = ended.min().date() if len(ended) else date.today()
last_day = ended.max().date() if len(ended) else date.today()
with st.sidebar:
    st.header("Filters")
    cycle_range = ui.url_int_range("Rounds", "rounds", lo, hi, scope=network)
    date_range = ui.url_date_range("Round end date", first_day, last_day, scope=network)
    chosen_members = ui.url_multiselect(
        "Member",
        "member",
        sorted(results["handle"].unique()),
        key="members",
        scope=network,
        placeholder="Type to search",
    )
    chosen_outcomes = ui.url_multiselect(
        "Outcome", "outcome", elections.OUTCOMES, key="outcomes", scope=network
    )


view = ui.election_view(network, cycle_range, date_range, chosen_members, chosen_outcomes)
for column, (label, value) in zip(st.columns(4), view.headline.items(), strict=True):
    column.metric(label, "not recorded" if value is None else f"{value:,}")
if view.headline_note:
    st.caption(view.headline_note)

st.subheader("Rounds")
ui.show_table(view.round_table, f"rounds-{network}.csv")
ui.chart_tabs(view.trends, key="round-trend")
if view.trends_note:
    st.caption(view.trends_note)

here = data.for_network(network)
attempts = failed_elections.data_attempts(here)
attempts = attempts[attempts["cycle_id"].isin(view.shown_rounds)]
if not attempts.empty:  # fetched caches only: the snapshot and the records have none
    st.markdown("**Failed attempts**: the election started over (announcing again)")
    ui.show_table(tables.failed_attempts_table(attempts), f"failed-elections-{network}.csv")
if view.archive_rounds:
    st.info(archive_views.archive_note(here), icon="📜")
    archive_rounds = archive_views.round_figures_table(here)
    archive_rounds = archive_rounds[archive_rounds["Round"].isin(view.archive_rounds)]
    if not archive_rounds.empty:
        ui.table_in_expander(
            "What the testnet archive records per round",
            archive_rounds,
            f"archive-rounds-{network}.csv",
            key="archive-rounds",
        )

st.subheader("Candidacies")
# Drawn only while open: 20,000 rows at 100x cost the browser time on every filter change.
ui.table_in_expander(
    "Every candidacy of the selection: table and CSV",
    view.candidacy_table,
    f"candidacies-{network}.csv",
    key="candidacies",
    height=420,
    url=True,
)
shares = here.vote_shares[here.vote_shares["cycle_id"].isin(view.shown_rounds)]
if not shares.empty:  # the mainnet record: shares, not stakes, per elected seat
    st.markdown("**Vote shares the term reports give** (share of the election's vote stake)")
    ui.show_table(tables.vote_share_table(shares, here.members), f"vote-shares-{network}.csv")

if view.timeline:
    st.subheader("Who stood when")
    if view.timeline_note:
        st.caption(view.timeline_note)
    st.vega_lite_chart(view.timeline, width="stretch")

# Pixels of the scrolling box of the candidates' notes beside the vote power chart.
NOTES_HEIGHT = 420

# --- Drill-down into one round ------------------------------------------------------------------
st.subheader("One round in detail")
if not view.shown_rounds:
    ui.empty_state("No round matches the current filters.")
    st.stop()
cycle = ui.url_selectbox(
    "Round", "round", sorted(view.shown_rounds, reverse=True), key="round", scope=network
)
detail = ui.election_round_view(network, cycle)
left, right = st.columns([3, 2])
with left:
    st.vega_lite_chart(detail.vote_power, width="stretch")
with right:
    if detail.notes:  # one element for every note (an expander each cost the browser time)
        st.markdown("**Candidates' notes**")
        box = st.container(height=NOTES_HEIGHT if len(detail.notes) > 6 else "content")
        box.markdown(tables.notes_markdown(detail.notes))
if detail.votes_note:
    ui.empty_state(detail.votes_note)
else:
    st.caption(f"{len(detail.votes):,} votes in round {cycle}")
    ui.show_table(detail.votes, f"votes-round-{cycle}-{network}.csv", height=320)
