"""Data & refresh: where the data comes from, its limits, and a refresh from a query node."""

import os

import streamlit as st

from council import fetch, refresh_state, ui, uploads
from council.format import block_with_date
from council.stats import overview

st.title("Data & refresh")
data = ui.council_data()
meta = data.meta

st.subheader("Where the data comes from")
if not meta:
    ui.empty_state("There is no cache yet: run `make run`, or refresh below.")
else:
    fetched = meta.get("source", "").startswith("http")
    built = refresh_state.parse_time(meta.get("refreshed_at"))
    ends = "; ".join(
        f"{network} at block {block_with_date(end.block, end.time, end.estimated)}"
        for network, end in ui.data_ends().items()
        if end is not None
    )
    st.markdown(
        f"- **Source:** {meta.get('source', 'unknown')}\n"
        f"- **{'Last refreshed' if fetched else 'Cache built'}:** "
        f"{f'{built:%Y-%m-%d %H:%M} UTC' if built else 'unknown'}\n"
        f"- **Data ends:** {ends or '–'} (the newest round, council, proposal or stage change)\n"
        f"- **Cache file:** `{ui.db_path()}` (schema version {meta.get('schema_version', '?')})"
    )
    if meta.get("snapshot_origin"):
        st.markdown(
            f"**Bundled snapshot.** {meta['snapshot_origin']}  \n"
            f"Rounds ended between {meta.get('data_from', '?')} and {meta.get('data_to', '?')}: "
            "a record of the past, not current data. Refresh below for the chain's current state."
        )
    gaps = {
        network: overview.missing_rounds_note(rounds["cycle_id"])
        for network, rounds in data.rounds.groupby("network")
    }
    if any(gaps.values()):
        st.markdown(
            "**Rounds missing from the data:**\n"
            + "\n".join(f"- {network}: {note}" for network, note in gaps.items() if note)
        )
    winners_only = int((~data.rounds["losers_recorded"]).sum())
    if winners_only:
        st.warning(
            f"**Limits of this data.** {winners_only} rounds come from records that list only "
            "the elected seats: candidates who lost, withdrawn candidacies and unrevealed votes "
            "are not recorded for them, and term reports name who voted on a proposal, not how.",
            icon="⚠️",
        )

counts = ui.table_sizes()
st.dataframe({"Table": list(counts), "Rows": list(counts.values())}, hide_index=True)

st.subheader("Refresh from a query node")
st.caption(
    "Fetches every election round, candidacy, vote and council from a Joystream GraphQL "
    "query node and replaces the cache only if the whole fetch succeeds. The same as "
    "`python -m council.fetch --endpoint URL` on the command line."
)
endpoint = os.environ.get("COUNCIL_ENDPOINT", fetch.DEFAULT_ENDPOINT)
token = ui.upload_token()
given = st.text_input("Secretary token (to refresh from another endpoint)", type="password")
if token and given and uploads.token_matches(given, token):
    endpoint = st.text_input("Query node endpoint", endpoint)
else:
    st.markdown(f"Endpoint: `{endpoint}`")
# The refresh runs in the button's callback, before the script reruns: the sidebar (drawn
# before this page) and the page then show the new data, or the failure just recorded.
OUTCOME = "about_refresh_outcome"


def run_refresh(endpoint: str) -> None:
    """Refresh from ``endpoint`` with a progress bar; keep the outcome for the next run."""
    progress = st.empty()
    bar = progress.progress(0.0, text=f"Connecting to {endpoint}…")

    def show_progress(entity: str, fetched: int, total: int) -> None:
        bar.progress(min(1.0, fetched / total) if total else 1.0, text=f"{entity}: {fetched:,}")

    try:
        stats = fetch.refresh(endpoint, ui.db_path(), progress=show_progress)
    except fetch.FetchError as error:
        outcome = ("error", f"Refresh failed, the previous data is kept. Reason: {error}")
    except (fetch.RefreshBusy, fetch.CannotRefresh) as error:
        outcome = ("warning", f"Not started: {error}.")
    else:
        ui.clear_caches()
        outcome = (
            "success",
            f"Refreshed: {sum(stats.rows.values()):,} rows in {stats.total_requests} requests.",
        )
    finally:
        progress.empty()
    st.session_state[OUTCOME] = outcome


st.button("Refresh now", icon=":material/refresh:", on_click=run_refresh, args=(endpoint,))
outcome = st.session_state.pop(OUTCOME, None)
if outcome:
    kind, message = outcome
    {"error": st.error, "warning": st.warning, "success": st.success}[kind](message)
