"""First start of a fresh install: build the cache from the bundled snapshot, once.

A host that runs ``pip install .`` and ``streamlit run app.py`` has no cache yet. The first
visitor's run builds it here, under the refresh lock (``council.refresh_state``), so that two
first visitors, or two replicas sharing one cache, do not build it twice: whoever waits for
the lock finds the file there and leaves it alone.
"""

from __future__ import annotations

from pathlib import Path

from council import refresh_state, snapshot

# Building the bundled snapshot takes a few seconds; a visitor waits this long for another's.
BUILD_WAIT_SECONDS = 300.0


def needs_build(db_path: Path) -> bool:
    """True when there is no cache file at ``db_path`` yet."""
    return not Path(db_path).exists()


def build_if_absent(
    db_path: Path,
    snapshot_dir: Path = snapshot.DEFAULT_SNAPSHOT_DIR,
    wait: float = BUILD_WAIT_SECONDS,
) -> bool:
    """Build the cache at ``db_path`` from the snapshot unless a file is already there.

    Holds the refresh lock while it checks and builds (waiting up to ``wait`` seconds for it,
    else ``refresh_state.RefreshBusy``); the cache appears atomically
    (``store.write_cache``). True when this call built it, False when it was there already.
    """
    db_path = Path(db_path)
    if not needs_build(db_path):
        return False
    with refresh_state.refresh_lock(db_path, wait=wait):
        if not needs_build(db_path):  # built by another visitor or replica meanwhile
            return False
        snapshot.build_cache_from_snapshot(db_path, snapshot_dir)
        return True
