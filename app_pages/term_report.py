"""Term report: the council's report for one term, in the community's shape, ready to post."""

from datetime import UTC, datetime

import streamlit as st

from council import report, ui

st.title("Council term report")
st.caption(
    "The council's term report, filled from the cache. Mainnet terms follow the mainnet "
    "council report: boundaries, composition with each councillor's vote share, budget "
    "overview and inflation, overall budget by item, working groups and proposals. Testnet "
    "terms follow the community's testnet reports: round overview, councillors with their "
    "proposal votes and stakes, roles, budget, proposals, spending by category and KPIs. "
    "Sections the data does not cover say “not recorded”. The same report on the command "
    "line: `python -m council.report --term N` (or `--term latest`)."
)

data = ui.council_data()
network = ui.network_or_stop(
    data.networks, "No council data yet. Refresh from a query node on the Data page."
)
terms = report.term_numbers(data.for_network(network).councils)
if not terms:
    ui.empty_state(f"No council terms recorded for {network}.")
    st.stop()

with st.sidebar:
    term = ui.url_selectbox(
        "Term",
        "term",
        list(reversed(terms)),
        scope=network,
        format_func=lambda t: f"term {t}" + (" (latest)" if t == terms[-1] else ""),
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def report_sources(cache_key: tuple[str, float], uploads_key: float, network: str):
    """The network's report sources, kept per cache file and uploads: what every term's report
    shares (budget table, working-group basis, scorecard) is worked out once in them, and what
    other pages share too is taken from them (ui.council_budget, ui.election_results)."""
    sources = report.load_sources(ui.db_path(), network, ui.council_data())
    sources.provide("budget_table", lambda: ui.council_budget(network))
    sources.provide("results", lambda: ui.election_results(network)[0])
    if (groups := ui.working_groups(network)) is not None:  # shared with Working groups
        sources.provide("wg_frames", lambda: groups.frames)
        sources.provide("wg_basis", lambda: groups.basis)
    return sources


@st.cache_data(show_spinner="Writing the report…", max_entries=32)
def term_report(cache_key: tuple[str, float], uploads_key: float, network: str, term: int, today):
    """The report's markdown (cached per cache file, uploaded files, network, term and day)."""
    sources = report_sources(cache_key, uploads_key, network)
    return report.term_report(sources, term, today=today)


today = datetime.now(UTC).date()
text = term_report(ui.cache_key(), ui.uploads_key(), network, term, today)

left, right = st.columns(2)
left.download_button(
    "Download report (.md)",
    text,
    file_name=f"council-term-{term}-report-{network}.md",
    mime="text/markdown",
    icon=":material/download:",
    key="download-report",
)
right.caption("Copy the markdown from the box at the bottom of the page.")

with st.container(border=True):
    st.markdown(text)

ui.markdown_source("Markdown source (copy)", text, key="report-source")
