"""Election watch: the current round's stage, deadlines, candidates and votes, and concerns."""

from datetime import UTC, datetime

import streamlit as st

from council import ui, watch
from council.stats import failed_elections

st.title("Election watch")
limits = watch.THRESHOLDS
st.caption(
    "For the council secretary during an election: where the current round stands, when each "
    "stage ends, and the concerns to raise (low candidacy under seats + "
    f"{limits.candidate_margin}, a stage ending within {limits.soon_hours:.0f} h with fewer "
    f"than {limits.min_votes_per_seat:g} vote a seat, {limits.unrevealed_share:.0%} or more "
    "votes unrevealed near the end of revealing). Times assume 6-second blocks."
)

data = ui.council_data()
network = ui.network_or_stop(
    data.networks, "No election data yet. Refresh from a query node on the Data page."
)
here = data.for_network(network)
now = datetime.now(UTC)
stage, clock = watch.watch_state(here, now)
tally = watch.round_tally(here.candidates, here.round_votes, stage.cycle_id or 0, here.rounds)
attempts = failed_elections.data_attempts(here)
found = watch.concerns(stage, tally, clock, attempts=attempts, candidates=here.candidates)


@st.cache_data(show_spinner=False, max_entries=16)
def candidate_table(cache_key: tuple[str, float], network: str, cycle_id: int):
    """The round's candidacies as shown (cached per cache file)."""
    return watch.candidate_table(ui.council_data().for_network(network), cycle_id)


cols = st.columns(4)
cols[0].metric("Round", stage.cycle_id if stage.cycle_id is not None else "–")
cols[1].metric("Stage", stage.name, delta=stage.qualifier, delta_color="off", delta_arrow="off")
cols[2].metric(
    "Stage ends at block",
    "not recorded" if stage.ends_block is None else f"#{stage.ends_block:,}",
    help=watch.end_block_help(stage),
)
cols[3].metric("Time left", watch.countdown(stage, clock))

if clock is None:
    st.info("The cache has no block with a time, so dates and time left are unknown.", icon="ℹ️")
else:
    st.caption(watch.clock_note(clock))
st.caption(watch.stage_source_note(stage))
for note in watch.stage_notes(stage, clock):
    st.info(note, icon="ℹ️")

st.subheader("Concerns")
for concern in found:
    (st.error if concern.level == "error" else st.warning)(concern.message, icon="⚠️")
if not found:
    st.success("Nothing to raise right now.", icon="✅")

st.subheader("Stages and deadlines")
ui.show_table(watch.schedule(stage, clock), f"election-stages-{network}.csv")

st.subheader("Candidates and votes so far")
seats = "–" if stage.seats is None else f"{stage.seats}"
cols = st.columns(4)
cols[0].metric(
    "Candidates / seats",
    f"{tally.candidates} / {seats}",
    help="Seats from the previous round." if stage.seats_from_previous else None,
)
cols[1].metric("Candidates' own stake (JOY)", f"{tally.candidate_stake_joy:,.0f}")
if tally.votes_recorded:
    cols[2].metric("Votes committed", f"{tally.votes_cast:,}", help=f"{tally.voters:,} accounts")
    cols[3].metric("Votes revealed", f"{tally.revealed:,}")
else:
    cols[2].metric("Votes committed", "not recorded", help="This round's source records no votes.")
    cols[3].metric("Votes revealed", "not recorded")
if stage.cycle_id is not None:
    ui.show_table(
        candidate_table(ui.cache_key(), network, stage.cycle_id),
        f"election-{stage.cycle_id}-candidates-{network}.csv",
    )

st.subheader("Post for the forum or Discord")
post = watch.forum_post(network, stage, tally, clock, found)
with st.container(border=True):
    st.markdown(post)
ui.markdown_source("Markdown source (copy)", post, key="post-source")
st.download_button(
    "Download post (.md)",
    post,
    file_name=f"election-{stage.cycle_id}-{network}-{now:%Y%m%d-%H%M}.md",
    mime="text/markdown",
    icon=":material/download:",
    key="download-post",
)
