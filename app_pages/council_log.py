"""The public council log: what the secretary and deputy record; anyone reads, filters and
downloads it; changes need the uploads token and are kept as versions."""

from datetime import date

import pandas as pd
import streamlit as st

from council import ui, uploads
from council.council_log import entries, export, store, suggestions

st.title("Council log")
st.caption(
    "The public log of important issues kept by the council secretary and deputy: elections, "
    "proposals, working groups, budget, the platform and Jsgenesis. Proposal numbers link to "
    "Pioneer. Every change is kept as a version; removed entries can be restored."
)


@st.cache_data(show_spinner=False, max_entries=4)
def log_entries(uploads_key: float) -> pd.DataFrame:
    """The log as it stands (cached per change of the uploads file)."""
    return store.current()


log = log_entries(ui.uploads_key())
terms = [str(t) for t in sorted(log["term"].dropna().astype(int).unique(), reverse=True)]
with st.sidebar:
    st.header("Filters")
    chosen_terms = ui.url_multiselect("Term", "term", terms, key="log_terms")
    chosen_tags = ui.url_multiselect("Tag", "tag", list(entries.TAGS), key="log_tags")
    words = ui.url_text("Text contains", "q", key="log_text")
shown = export.filter_entries(log, [int(t) for t in chosen_terms], chosen_tags, words)

st.markdown(f"**{len(shown):,}** of {len(log):,} entries")
left, right = st.columns(2)
with left:
    st.download_button(
        "Download as markdown (forum)",
        export.log_markdown(shown),
        "council-log.md",
        "text/markdown",
        key="download-council-log-md",
        icon=":material/download:",
    )
with right:
    ui.csv_download(export.log_table(shown), "council-log.csv")
if log.empty:
    ui.empty_state("The log has no entries yet.")
elif shown.empty:
    ui.empty_state("No entries match the filters.")
for _, entry in shown.iterrows():
    with st.container(border=True):
        st.markdown(export.entry_markdown(entry))

st.divider()
st.subheader("Keep the log (secretary)")
token = ui.upload_token()
if token is None:
    st.info(f"Changing the log is off: no upload token is configured (`{uploads.TOKEN_ENV}`).")
    st.stop()
given = st.text_input("Upload token", type="password", key="log_token")
if not uploads.token_matches(given, token):
    if given:
        st.error("That token is not right.")
    st.stop()
who = st.text_input("Your name (kept with each change)", key="log_who")
if message := st.session_state.pop("log_done", None):
    st.success(message)


def attempt(change, done: str, *args, forget: tuple[str, ...] = (), **kwargs) -> None:
    """Make one change; on success note it, empty the ``forget`` inputs and rerun; else show
    why nothing was stored (the inputs keep what was typed)."""
    try:
        change(*args, **kwargs)
    except entries.InvalidEntry as error:
        for problem in error.problems:
            st.error(problem)
        return
    except (store.NotAllowed, KeyError, ValueError) as error:
        st.error(f"Nothing was changed: {error.args[0]}")
        return
    st.session_state["log_done"] = done
    for key in forget:
        st.session_state.pop(key, None)
    st.rerun()


def entry_form(key: str, entry: pd.Series | None = None):
    """The entry fields as typed (text inputs, so anything typed gets a clear message)."""
    old = entry if entry is not None else pd.Series(dtype=object)
    term = old.get("term")
    return dict(
        date=st.text_input("Date (YYYY-MM-DD)", old.get("date", str(date.today())), key=f"{key}d"),
        term=st.text_input("Term", "" if pd.isna(term) else str(term), key=f"{key}t"),
        title=st.text_input("Title", old.get("title", ""), key=f"{key}h"),
        text=st.text_area("Text (markdown)", old.get("text", ""), key=f"{key}x"),
        tags=st.multiselect("Tags", entries.TAGS, export.tag_list(old.get("tags")), key=f"{key}g"),
        links=st.text_input("Links (proposal ids, addresses)", old.get("links", ""), key=f"{key}l"),
    )


def checked_add(typed: dict, suggestion: str = "") -> None:
    store.add(entries.check(**typed), who, token=given, expected=token, suggestion=suggestion)


ADD_KEYS = tuple(f"add{field}" for field in "dthxgl")  # the Add tab's inputs (entry_form)
add_tab, edit_tab, restore_tab, suggest_tab = st.tabs(
    ["Add", "Edit or remove", "History and restore", "Suggested from the data"]
)
with add_tab:
    typed = entry_form("add")
    if st.button("Add entry", type="primary", key="log_add"):
        attempt(checked_add, "Entry added.", typed, forget=ADD_KEYS)
with edit_tab:
    if log.empty:
        ui.empty_state("No entries to edit.")
    else:
        labels = {f"{e.entry_id} · {e.date} · {e.title}": e.entry_id for e in log.itertuples()}
        picked = labels[st.selectbox("Entry", list(labels), key="log_pick")]
        entry = log.set_index("entry_id").loc[picked]
        typed = entry_form(f"edit{picked}", entry)
        save, drop = st.columns(2)
        if save.button("Save changes", type="primary", key="log_save"):
            attempt(
                lambda: store.edit(
                    picked, entries.check(**typed), who, token=given, expected=token
                ),
                f"Entry {picked} saved.",
            )
        if drop.button("Remove entry", key="log_remove"):
            attempt(
                store.remove, f"Entry {picked} removed.", picked, who, token=given, expected=token
            )
with restore_tab:
    versions = store.history()
    ui.show_table(export.history_table(versions), "council-log-history.csv", height=300)
    if len(versions):
        entry_id = st.selectbox("Entry", sorted(versions["entry_id"].unique()), key="log_r_id")
        own = versions[versions["entry_id"] == entry_id]["version"].tolist()
        version = st.selectbox("Version to make current", own, key="log_r_version")
        if st.button("Restore this version", key="log_restore"):
            attempt(
                store.restore,
                f"Entry {entry_id} is at version {version} again.",
                entry_id,
                version,
                who,
                token=given,
                expected=token,
            )
with suggest_tab:
    kpi_file = uploads.current(uploads.KPIS.name)
    handled = store.handled_suggestions()
    found = suggestions.from_data(ui.council_data(), kpi_file, date.today(), handled)
    if found.empty:
        ui.empty_state("Nothing to suggest: every suggestion was accepted or dismissed.")
    for row in found.head(20).itertuples():
        with st.container(border=True):
            st.markdown(export.entry_markdown(pd.Series(row._asdict()), level=4))
            accept, dismiss = st.columns(2)
            fields = dict(
                date=row.date,
                term=row.term,
                title=row.title,
                text=row.text,
                tags=export.tag_list(row.tags),
                links=row.links,
            )
            if accept.button("Accept as an entry", key=f"accept-{row.key}"):
                attempt(checked_add, "Suggestion added to the log.", fields, row.key)
            if dismiss.button("Dismiss", key=f"dismiss-{row.key}"):
                attempt(
                    store.dismiss,
                    "Suggestion dismissed.",
                    row.key,
                    who,
                    token=given,
                    expected=token,
                )
