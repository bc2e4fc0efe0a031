"""Council leaderboard: every member's record across terms, each term's scorecard, profiles."""

import pandas as pd
import streamlit as st

from council import charts, tables, ui, views
from council.archive import views as archive_views

st.title("Council leaderboard")
st.caption(
    "Every member who ran or served: candidacies, wins, terms, stake, votes, proposal votes, "
    "participation (share of the proposals decided in their terms that they voted on) and "
    "rewards. A term is numbered by the election round that elected the council."
)

data = ui.council_data()
network = ui.network_or_stop(
    data.networks,
    "No council data yet. Refresh from a query node on the Data page.",
)


results, _ = ui.election_results(network)
term_table, card = ui.term_tables(network)
here = data.for_network(network)
if not here.rounds["losers_recorded"].all():
    st.info(
        "Some rounds here list only the elected seats, so candidacies count wins only and the "
        "win share reads 100 % for them.",
        icon="ℹ️",
    )
if here.proposal_votes.empty:
    st.info(
        "This data has no proposal votes, so votes cast, participation and rationale are not "
        "recorded here (shown as –).",
        icon="ℹ️",
    )

if card["approve_votes"].isna().any():
    st.info(
        "The testnet archive's term reports record who voted on each proposal, not how or "
        "why, nor the votes of its elections: those figures read – (not recorded).",
        icon="ℹ️",
    )

known_terms = sorted(set(term_table["term"]) | set(results["cycle_id"]))
lo, hi = (known_terms[0], known_terms[-1]) if known_terms else (0, 0)
with st.sidebar:
    st.header("Filters")
    term_range = ui.url_int_range("Terms", "terms", lo, hi, scope=network)
    min_terms = ui.url_int("Minimum terms served", "min_terms", 0, 100, 0)
    search = ui.url_text("Search by handle", "q")


@st.cache_data(show_spinner="Ranking members…", max_entries=32)
def leaderboard_view(cache_key, network, term_range, search, min_terms):
    """Totals, table and heatmap for one filter state (cached)."""
    results, _ = ui.election_results(network)
    term_table, card = ui.term_tables(network)
    members = ui.council_data().for_network(network).members
    return views.leaderboard_view(results, term_table, card, members, term_range, search, min_terms)


view = leaderboard_view(ui.cache_key(), network, tuple(term_range), search, int(min_terms))
totals, shown, card_in = view.totals, view.shown, view.card

st.subheader("All-time table")
ui.show_table(view.table, f"leaderboard-{network}.csv", height=420)

left, right = st.columns(2)
with left:
    st.subheader("Top members")
    metrics = views.TOP_MEMBER_METRICS
    label = ui.url_selectbox("Metric", "metric", list(metrics), to_text=metrics.get)
    top_n = ui.url_int("How many", "top", 5, 40, 15, slider=True)
    if not shown.empty:
        st.altair_chart(charts.top_members(shown, metrics[label], label, top_n), width="stretch")
with right:
    st.subheader("Participation per term")
    if view.heatmap:
        ui.chart(view.heatmap, view.heatmap_note)
    else:
        ui.empty_state("No proposals were decided in these terms in this data.")

st.subheader("Term scorecard")
terms_here = sorted(card_in["term"].unique(), reverse=True)
if terms_here:
    term = ui.url_selectbox("Term", "term", terms_here, scope=network)
    scorecard = tables.scorecard_table(card_in[card_in["term"] == term], here.members)
    ui.show_table(scorecard, f"scorecard-term-{term}-{network}.csv")
    ui.markdown_source(
        "Copy as markdown for a council report", tables.markdown(scorecard), key="scorecard-md"
    )

if archive_views.has_archive(here):
    st.subheader("Testnet archive: the secretary's leaderboard")
    st.caption(
        "As the hand-made Alexandria leaderboard: proposal votes each term report counts, the "
        "valid proposals (those listed, less cancelled) whose participant list names the "
        "councillor, vote % (those over the valid proposals), KPI bonus and payment per "
        "councillor (recorded for Alexandria 1–6 only). x: not on that council."
    )
    figures = list(archive_views.GRID_VALUES)
    figure = ui.url_selectbox("Figure", "figure", figures, radio=True, horizontal=True)
    archive_card = archive_views.scorecard(here, term_range)
    grid = archive_views.leaderboard_grid_table(archive_card, figure)
    ui.show_table(grid, f"archive-leaderboard-{network}.csv")
    if note := archive_views.count_note(archive_card):
        st.info(note, icon="🧮")
        ui.table_in_expander(
            "Where a report's count differs from its participant lists",
            archive_views.count_disagreements_table(archive_card),
            f"archive-vote-counts-{network}.csv",
            key="archive-vote-counts",
        )

st.subheader("Member profile")
handles = sorted(totals["handle"].unique())
member = ui.url_selectbox(
    "Member", "member", handles, default=None, scope=network, placeholder="Choose a member"
)
if member:
    profile = totals[totals["handle"] == member].iloc[0]
    cols = st.columns(4)
    cols[0].metric("Candidacies", int(profile["candidacies"]))
    cols[1].metric("Times elected", int(profile["times_elected"]))
    cols[2].metric("Terms served", int(profile["terms_served"]))
    votes = profile["proposal_votes"]
    cols[3].metric("Proposal votes", "not recorded" if pd.isna(votes) else int(votes))
    mine = results[results["handle"] == member]
    st.markdown("**Candidacies**")
    ui.show_table(tables.candidacy_table(mine), f"candidacies-{member}.csv")
    st.markdown("**Terms served**")
    seats = card[card["member_id"] == profile["member_id"]]
    ui.show_table(tables.scorecard_table(seats, here.members), f"terms-{member}.csv")
