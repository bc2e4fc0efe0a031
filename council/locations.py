"""Where the bundled data is read from and where the app's own files are written.

In a source checkout both are the project's ``data/`` folder. An installed copy
(``pip install .``, not editable) has no project folder: the bundled data (snapshot and starter
CSVs) ships inside the package as ``council/bundled`` (in the checkout a link to ``data/``), and
the cache and uploads go to ``./data`` in the directory the app was started from, unless
``$COUNCIL_DB`` / ``$COUNCIL_UPLOADS_DB`` say otherwise.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_DATA_DIR = PACKAGE_DIR.parent / "data"
BUNDLED_DIR = PACKAGE_DIR / "bundled"


def in_source_checkout() -> bool:
    """True when the package runs from the project's source tree (data/snapshot beside it)."""
    return (SOURCE_DATA_DIR / "snapshot").is_dir()


def bundled_data_dir() -> Path:
    """The folder holding ``snapshot/``, ``kpis.csv`` and ``spending_proposal_categories.csv``."""
    return SOURCE_DATA_DIR if in_source_checkout() else BUNDLED_DIR


def writable_data_dir() -> Path:
    """The default folder for the cache and the uploads: data/ of the checkout, else ./data."""
    return SOURCE_DATA_DIR if in_source_checkout() else Path.cwd() / "data"
