"""deploy/warm_up.py: a started replica runs the app once before any visitor, so the cache,
the statistics the pages share and the background warm-up are ready for the first one.

One real server (`streamlit run app.py` on loopback) on a copy of the bundled snapshot; the
evidence is Streamlit's own cache metrics (/_stcore/metrics), not timing.
"""

from __future__ import annotations

import os
import re
import time
import urllib.request
from collections.abc import Iterator

import pytest

from deploy import warm_up
from deploy.local_replicas import ROOT, free_port, start_replica, stop, wait_healthy


@pytest.fixture(scope="module")
def server(snapshot_copy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = snapshot_copy("warm-up")
    env = {**os.environ, "COUNCIL_DB": str(db), "COUNCIL_UPLOADS_DB": f"{db}.uploads"}
    env["COUNCIL_WARM_UP"] = "1"  # as a real server
    port = free_port()
    process = start_replica(port, env, tmp_path_factory.mktemp("warm-up-log") / "server.log")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, timeout=120)
        yield url
    finally:
        stop(process)


def computed(url: str) -> set[str]:
    """The cached functions that have run (a cache miss): their names, ``module.function``."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=10) as answer:
        text = answer.read().decode()
    misses = re.findall(
        r'^cache_lookups_total\{cache="([^"]+)"[^}]*result="miss"\} (\d+)', text, re.M
    )
    return {name for name, count in misses if int(count)}


def test_a_warmed_replica_has_read_the_cache_before_any_visitor(server: str) -> None:
    assert not computed(server)  # nobody came yet
    assert warm_up.main([server]) == 0
    names = {name.rpartition(".")[2] for name in computed(server)}
    # The Overview's run: the cache and the Overview's figures.
    assert {"_load", "_budget_so_far", "headline"} <= names
    # Then, in the background, what the pages share (election results, the budget table).
    shared = {"_election_results", "_council_budget", "_term_tables"}
    deadline = time.monotonic() + 120
    while not shared <= names and time.monotonic() < deadline:
        time.sleep(0.5)
        names = {name.rpartition(".")[2] for name in computed(server)}
    assert shared <= names
    assert warm_up.main([server]) == 0  # again: a warm server answers as well


def test_an_unreachable_replica_is_reported(capsys) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    assert warm_up.main([url, "--timeout", "1"]) == 1
    assert f"warm-up: {url} did not answer /_stcore/health within 1 s" in capsys.readouterr().err


def test_the_deploy_warms_each_replica_and_nginx_keeps_the_check_to_loopback() -> None:
    unit = (ROOT / "deploy" / "council-dashboard@.service").read_text()
    assert "ExecStartPost=/srv/council-dashboard/.venv/bin/python -m deploy.warm_up" in unit
    site = (ROOT / "deploy" / "council-dashboard.nginx").read_text()
    assert re.search(r"location = /_stcore/script-health-check \{\s*return 404;", site)
    assert "scriptHealthCheckEnabled = true" in (ROOT / ".streamlit" / "config.toml").read_text()
