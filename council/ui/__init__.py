"""Streamlit helpers shared by the pages, one module a job:

- :mod:`~council.ui.shared`: the cache loaded once per version and the statistics the pages
  share (cached), the uploaded files, clearing the caches;
- :mod:`~council.ui.background`: the background warm-up of those after the first page;
- :mod:`~council.ui.url_state`: filters bound to URL query parameters;
- :mod:`~council.ui.elements`: tables with CSV downloads, empty states, chart tabs, expanders;
- :mod:`~council.ui.sidebar`: data freshness, network picker, saved views, the "as of" line.

The only package in council/ that imports streamlit. Pages use ``from council import ui`` and
``ui.NAME``: every public name is re-exported here.
"""

from council.ui.background import (
    WARM_UP_DELAY,
    WARM_UP_ENV,
    WARM_UP_MODULES,
    warm_up,
)
from council.ui.elements import (
    CHUNK_ROWS,
    LAZY_ROWS,
    chart,
    chart_tabs,
    column_config,
    csv_download,
    empty_state,
    markdown_source,
    section_tabs,
    show_table,
    table_in_expander,
)
from council.ui.shared import (
    budget_so_far,
    cache_key,
    clear_caches,
    council_budget,
    council_data,
    current_upload,
    data_ends,
    db_path,
    election_results,
    election_round_view,
    election_view,
    ensure_cache,
    round_votes,
    spending_file_check,
    spending_items,
    table_sizes,
    term_tables,
    upload_token,
    uploads_key,
    voter_stats,
    wg_group_view,
    wg_range_view,
    working_groups,
)
from council.ui.sidebar import (
    APP_DIR,
    DEFAULT_PAGE,
    as_of_line,
    freshness_sidebar,
    network_or_stop,
    network_picker,
    page_file,
    saved_views_sidebar,
    stale_after,
)
from council.ui.url_state import (
    set_params,
    url_date_range,
    url_int,
    url_int_range,
    url_multiselect,
    url_selectbox,
    url_text,
)

__all__ = [
    "APP_DIR",
    "CHUNK_ROWS",
    "DEFAULT_PAGE",
    "LAZY_ROWS",
    "WARM_UP_DELAY",
    "WARM_UP_ENV",
    "WARM_UP_MODULES",
    "as_of_line",
    "budget_so_far",
    "cache_key",
    "chart",
    "chart_tabs",
    "clear_caches",
    "column_config",
    "council_budget",
    "council_data",
    "csv_download",
    "current_upload",
    "data_ends",
    "db_path",
    "election_results",
    "election_round_view",
    "election_view",
    "empty_state",
    "ensure_cache",
    "freshness_sidebar",
    "markdown_source",
    "network_or_stop",
    "network_picker",
    "page_file",
    "round_votes",
    "saved_views_sidebar",
    "section_tabs",
    "set_params",
    "show_table",
    "spending_file_check",
    "spending_items",
    "stale_after",
    "table_in_expander",
    "table_sizes",
    "term_tables",
    "upload_token",
    "uploads_key",
    "url_date_range",
    "url_int",
    "url_int_range",
    "url_multiselect",
    "url_selectbox",
    "url_text",
    "voter_stats",
    "warm_up",
    "wg_group_view",
    "wg_range_view",
    "working_groups",
]
