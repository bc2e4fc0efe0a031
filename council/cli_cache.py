"""The cache a command-line report reads (``council.report``, ``council.agenda``): one rule for
which file and which network, and one wording for why there is none."""

from __future__ import annotations

from pathlib import Path

from council import data, filters, store


class NoUsableCache(Exception):
    """No cache to report on; the message is the one line a command prints after ``error:``."""


def open_for_network(db: Path | None, network: str | None) -> tuple[Path, data.CouncilData, str]:
    """The cache file (``db`` or ``$COUNCIL_DB``), its tables and the network to report on:
    ``network`` when given, else mainnet when the cache has it, else its newest network.

    Raises :class:`NoUsableCache` when the file is missing or damaged or lacks the network.
    """
    db_path = db or store.default_db_path()
    if not db_path.exists():
        raise NoUsableCache(
            f"no cache file yet at {db_path}: build it with `make cache` "
            "(python -m council.snapshot build) or fetch with python -m council.fetch"
        )
    try:
        cache = data.load(db_path)
        networks = cache.networks
    except data.CacheError as error:
        raise NoUsableCache(str(error)) from error
    chosen = network or filters.default_network(networks) or "mainnet"
    if chosen not in networks:
        raise NoUsableCache(f"no data for network {chosen!r} in {db_path}")
    return db_path, cache, chosen
