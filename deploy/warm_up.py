"""Warm a started replica before visitors reach it: run the app once, with nobody waiting.

    python -m deploy.warm_up http://127.0.0.1:8501 [http://127.0.0.1:8502 ...] [--timeout 300]

A fresh server pays, on its first page, for importing the app (pandas and the rest) and
reading the cache, and its visitors' next pages for the statistics the pages share: a fresh
server's first page takes about 2.6-3.2 s at 100x mainnet on two cores, a warmed one's about
2 s (bench/results/latest.md). Streamlit's script health
check (``server.scriptHealthCheckEnabled`` in .streamlit/config.toml) runs the app's default
page, the Overview, in a session of its own: that run does all of it, and the app's background
warm-up (``ui.warm_up``) then computes what the other pages share. The replica's unit
(deploy/council-dashboard@.service) calls this after starting the server, and the refresh
(deploy/council-refresh.service) may call it after a new cache, which replicas otherwise read
on the next visitor's page.

Exit status 0 when every replica ran the app without an error, 1 otherwise (each failure on
standard error); nginx keeps the check to loopback (deploy/council-dashboard.nginx).
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request

SCRIPT_CHECK = "/_stcore/script-health-check"
HEALTH = "/_stcore/health"


def _get(url: str, timeout: float) -> tuple[int, str]:
    """(HTTP status, body) of a GET; a refused connection raises ``OSError``."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, answer.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def warm(url: str, timeout: float = 300) -> str | None:
    """Wait for the server at ``url`` to answer its health check, then run the app once
    through its script health check. None when the app ran without an error, else why not."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            status, _ = _get(f"{url}{HEALTH}", timeout=5)
            if status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            return f"{url} did not answer {HEALTH} within {timeout:.0f} s"
        time.sleep(0.3)
    try:
        status, body = _get(f"{url}{SCRIPT_CHECK}", timeout=max(deadline - time.monotonic(), 5))
    except OSError as error:
        return f"{url}{SCRIPT_CHECK}: {error}"
    if status == 404:
        return f"{url}{SCRIPT_CHECK} is off: set server.scriptHealthCheckEnabled = true"
    if status != 200:
        return f"the app did not run without an error on {url} (HTTP {status}: {body.strip()})"
    return None


def main(argv: list[str] | None = None) -> int:
    """Warm each replica URL given; report failures on standard error."""
    parser = argparse.ArgumentParser(prog="python -m deploy.warm_up", description=__doc__)
    parser.add_argument("urls", nargs="+", help="replica URLs, e.g. http://127.0.0.1:8501")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per replica")
    args = parser.parse_args(argv)
    failures = [problem for url in args.urls if (problem := warm(url, args.timeout))]
    for problem in failures:
        print(f"warm-up: {problem}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
