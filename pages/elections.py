"""Election history: every council election on one page, with statistics per round."""

from datetime import date

import streamlit as st

from council import charts, filters, tables, ui
from council.stats import elections

ui.ensure_app_navigation()
st.title("Election history")
st.caption(
    "Every council election round: who ran, who was elected, stakes, votes and vote power. "
    "Amounts in JOY; blocks with their UTC date (~ marks a date estimated from the block)."
)

data = ui.council_data()
network = ui.network_picker(data.networks)
if network is None:
    ui.empty_state("No election data yet. Refresh from a query node on the Data page.")
    st.stop()


@st.cache_data(show_spinner="Computing election statistics…")
def election_stats(cache_key: tuple[str, float], network: str):
    """Per-candidacy results and per-round summary of one network (cached per cache file)."""
    return elections.election_tables(ui.council_data().for_network(network))


results, summary = election_stats(ui.cache_key(), network)
rounds_here = data.rounds[data.rounds["network"] == network]
if not rounds_here["losers_recorded"].all():
    st.info(
        "Some rounds come from records that list only the elected seats: candidates who lost "
        "are not recorded there, so their rounds show winners only.",
        icon="ℹ️",
    )

# --- Filters (sidebar), mirrored in the URL so a filtered view can be shared -----------------
lo, hi = int(summary["cycle_id"].min()), int(summary["cycle_id"].max())
with st.sidebar:
    st.header("Filters")
    cycle_range = (
        st.slider(
            "Rounds",
            lo,
            hi,
            filters.parse_int_range(st.query_params.get("rounds"), lo, hi),
            key="rounds",
        )
        if hi > lo
        else (lo, hi)
    )
    ended = summary["ended_at_time"].dropna()
    first_day = ended.min().date() if len(ended) else date.today()
    last_day = ended.max().date() if len(ended) else date.today()
    start = filters.parse_date(st.query_params.get("from"), first_day, first_day, last_day)
    end = filters.parse_date(st.query_params.get("to"), last_day, first_day, last_day)
    picked = st.date_input(
        "Round end date", (start, end), min_value=first_day, max_value=last_day, key="dates"
    )
    date_range = picked if len(picked) == 2 else (start, end)
    handles = sorted(results["handle"].unique())
    chosen_members = st.multiselect(
        "Member",
        handles,
        filters.keep_known(ui.param_list("member"), set(handles)),
        placeholder="Type to search",
        key="members",
    )
    chosen_outcomes = st.multiselect(
        "Outcome",
        elections.OUTCOMES,
        filters.keep_known(ui.param_list("outcome"), set(elections.OUTCOMES)),
        key="outcomes",
    )
full_dates = tuple(date_range) == (first_day, last_day)
ui.set_params(
    rounds=filters.format_int_range(cycle_range, lo, hi),
    **{"from": None if full_dates else date_range[0], "to": None if full_dates else date_range[1]},
    member=chosen_members,
    outcome=chosen_outcomes,
)

shown = elections.filter_candidacies(
    results, cycle_range, date_range, chosen_members, chosen_outcomes
)
shown_rounds = summary[
    summary["cycle_id"].between(*cycle_range) & summary["cycle_id"].isin(shown["cycle_id"])
]

# --- Headline numbers ---------------------------------------------------------------------------
cols = st.columns(4)
cols[0].metric("Rounds", f"{len(shown_rounds):,}")
cols[1].metric("Candidacies", f"{len(shown):,}")
cols[2].metric("Distinct candidates", f"{shown['handle'].nunique():,}")
cols[3].metric("Votes cast", f"{int(shown_rounds['votes_cast'].sum()):,}")

st.subheader("Rounds")
ui.show_table(tables.round_table(shown_rounds), f"rounds-{network}.csv")
if len(shown_rounds) > 1:
    st.altair_chart(charts.round_trends(shown_rounds), width="content")

st.subheader("Candidacies")
ui.show_table(tables.candidacy_table(shown), f"candidacies-{network}.csv", height=420)

if not shown.empty:
    st.subheader("Who stood when")
    st.altair_chart(charts.member_timeline(elections.member_timeline(shown)))

# --- Drill-down into one round ------------------------------------------------------------------
st.subheader("One round in detail")
round_ids = sorted(summary["cycle_id"].unique(), reverse=True)
wanted = ui.param_int("round")
cycle = st.selectbox(
    "Round", round_ids, index=round_ids.index(wanted) if wanted in round_ids else 0, key="round"
)
ui.set_params(round=cycle if cycle != round_ids[0] else None)
in_round = results[results["cycle_id"] == cycle]
threshold = summary.loc[summary["cycle_id"] == cycle, "winning_threshold_joy"].iloc[0]
left, right = st.columns([3, 2])
with left:
    st.altair_chart(charts.vote_power_bars(in_round, threshold), width="stretch")
with right:
    candidates = data.candidates[
        (data.candidates["network"] == network) & (data.candidates["cycle_id"] == cycle)
    ]
    handle_of = dict(zip(in_round["candidate_id"], in_round["handle"], strict=True))
    for note in tables.candidate_notes(candidates):
        if note["header"] or note["bullet_points"]:
            with st.expander(f"{handle_of.get(note['candidate_id'])}: {note['header']}"):
                st.markdown("\n".join(f"- {b}" for b in note["bullet_points"]) or "_No points._")
in_round_votes = ui.round_votes(network, cycle)
votes = tables.vote_table(elections.round_votes(in_round_votes, results))
st.caption(f"{len(votes):,} votes in round {cycle}")
ui.show_table(votes, f"votes-round-{cycle}-{network}.csv", height=320)
