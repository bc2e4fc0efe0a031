"""Joystream Council Dashboard: entry point (`streamlit run app.py`)."""

from pathlib import Path

import streamlit as st

from council import data, ui

# A file in the repository: a :material/...: page icon is fetched from a font CDN (offline: none).
PAGE_ICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
# Markdown tables (the term report's preview) scroll sideways instead of widening the page.
NARROW_SCREEN_CSS = (
    "<style>[data-testid='stMarkdownContainer'] table"
    " {display: block; max-width: 100%; overflow-x: auto;}</style>"
)

st.set_page_config(
    page_title="Joystream Council Dashboard",
    page_icon=str(PAGE_ICON),
    layout="wide",
)
st.html(NARROW_SCREEN_CSS)

pages = st.navigation(
    [
        st.Page(
            "app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True
        ),
        st.Page("app_pages/this_week.py", title="This week", icon=":material/event_available:"),
        st.Page("app_pages/elections.py", title="Election history", icon=":material/how_to_vote:"),
        st.Page("app_pages/voters.py", title="Voters", icon=":material/groups:"),
        st.Page("app_pages/leaderboard.py", title="Leaderboard", icon=":material/leaderboard:"),
        st.Page("app_pages/spending.py", title="Spending", icon=":material/payments:"),
        st.Page("app_pages/working_groups.py", title="Working groups", icon=":material/groups:"),
        st.Page("app_pages/kpis.py", title="KPIs", icon=":material/flag:"),
        st.Page("app_pages/election_watch.py", title="Election watch", icon=":material/timer:"),
        st.Page("app_pages/term_report.py", title="Term report", icon=":material/description:"),
        st.Page("app_pages/upload.py", title="Secretary uploads", icon=":material/upload_file:"),
        st.Page("app_pages/council_log.py", title="Council log", icon=":material/history_edu:"),
        st.Page("app_pages/about.py", title="Data & refresh", icon=":material/database:"),
    ]
)


def stop_for(error: data.CacheError) -> None:
    """The cache file cannot be used: say which and why, once, instead of the page."""
    reason = str(error)
    st.error(
        f"**The data cache cannot be used.** {reason[0].upper()}{reason[1:]}.  \n"
        "Set `COUNCIL_DB` to a council cache, or move this file away and run `make run` "
        "(it builds a new cache from the bundled snapshot).",
        icon=":material/error:",
    )
    st.stop()


ui.ensure_cache()  # a fresh install (pip install .) builds its cache from the bundled snapshot
try:
    ui.freshness_sidebar(ui.council_data().meta)  # reads tables: damage may show here
    ui.as_of_line(pages.url_path)
    ui.saved_views_sidebar(pages.url_path)
    pages.run()
    ui.warm_up()  # after the page: the shared statistics in the background, once per cache
except data.CacheError as error:  # the file, or damage found only when a table is read
    stop_for(error)
