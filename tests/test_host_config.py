"""The production settings in .streamlit/config.toml are real Streamlit options, as intended."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit import config as st_config

from council.csv_schema import MAX_BYTES_DEFAULT

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def settings() -> dict[str, object]:
    """config.toml flattened to {"section.option": value}."""
    parsed = tomllib.loads(CONFIG.read_text())
    return {
        f"{section}.{key}": value for section, keys in parsed.items() for key, value in keys.items()
    }


def test_every_setting_is_an_option_of_the_installed_streamlit() -> None:
    options = st_config.get_config_options()  # the options `streamlit config show` prints
    assert [key for key in settings() if key not in options] == []


def test_production_settings() -> None:
    values = settings()
    assert values["client.toolbarMode"] == "viewer"  # no Deploy button, no developer menu
    assert values["browser.gatherUsageStats"] is False
    assert values["server.enableXsrfProtection"] is True
    assert values["server.maxUploadSize"] * 1024 * 1024 == MAX_BYTES_DEFAULT  # megabytes
    assert values["runner.postScriptGC"] is False  # no full collection after every run


def test_no_pages_folder_beside_app_py() -> None:
    """A pages/ folder beside app.py puts Streamlit in its older multipage mode: a first visit
    to a page URL would run the page without app.py's navigation. Pages go in app_pages/."""
    root = CONFIG.parents[1]
    assert not (root / "pages").exists()
    listed = sorted(p.name for p in (root / "app_pages").glob("*.py"))
    app = (root / "app.py").read_text()
    assert [name for name in listed if f'"app_pages/{name}"' not in app] == []
