"""Page render benchmarks on generated caches.

    python -m bench [--sizes mainnet,10x,100x] [--pages elections,overview] [--repeat 3]

For each size it generates a cache with council.synthetic (fixed seed), then, in a fresh
process per page, renders the page with Streamlit's AppTest twice (cold: empty caches; warm:
the same process again) beside an empty page rendered the same way, and records peak memory.
Prints a table and writes it to bench/results/latest.md. Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = ROOT / "bench" / "caches"
RESULTS = ROOT / "bench" / "results" / "latest.md"

SIZES = {
    "mainnet": (100, 2_000, 50_000),
    "10x": (316, 6_300, 224_000),
    "100x": (1_000, 20_000, 1_000_000),
}
PAGES = {
    "empty": "bench/empty_page.py",
    "overview": "app_pages/overview.py",
    "elections": "app_pages/elections.py",
    "leaderboard": "app_pages/leaderboard.py",
    "spending": "app_pages/spending.py",
    "kpis": "app_pages/kpis.py",
    "election_watch": "app_pages/election_watch.py",
    "term_report": "app_pages/term_report.py",
    "about": "app_pages/about.py",
}


def build_cache(size: str) -> tuple[Path, float]:
    """The generated cache for ``size`` (built once, reused), and its build time in seconds."""
    from council.synthetic import write_synthetic_cache

    rounds, candidates, votes = SIZES[size]
    path = CACHE_DIR / f"{size}-seed0.db"
    if path.exists():
        return path, float("nan")
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    write_synthetic_cache(path, rounds, candidates, votes, seed=0)
    return path, time.perf_counter() - started


def _render_in_this_process(page: str, db: str, repeat: int) -> dict[str, float]:
    """Child process: render ``page`` cold once, then warm ``repeat`` times."""
    from streamlit.testing.v1 import AppTest

    os.environ["COUNCIL_DB"] = db
    app = str(ROOT / "app.py")
    timings = []
    for _ in range(repeat + 1):
        if page == PAGES["empty"]:
            at = AppTest.from_file(str(ROOT / page), default_timeout=600)
        else:
            at = AppTest.from_file(app, default_timeout=600)
            at.switch_page(page)
        started = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - started)
        if at.exception:
            raise SystemExit(f"{page} raised: {at.exception[0].value}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"cold": timings[0], "warm": statistics.median(timings[1:]), "peak_mb": peak_mb}


def _fetch_in_this_process(size: str) -> dict[str, object]:
    """Child process: serve generated records from the test query node; time a full fetch."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    from qn_server import QueryNodeServer

    from council import fetch
    from council.synthetic import generate_records

    records = generate_records(*SIZES[size], seed=0)
    with QueryNodeServer(records) as server, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        stats = fetch.refresh(server.url, Path(tmp) / "c.db", retries=0, timeout=600)
        seconds = time.perf_counter() - started
    rows = sum(stats.rows.values())
    return {
        "seconds": seconds,
        "rows": rows,
        "rows_per_s": rows / seconds,
        "requests": stats.total_requests,
        "per_entity": stats.requests,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench", *args], cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(f"bench child {args} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def fetch_report(sizes: list[str]) -> list[str]:
    """Fetch throughput against the local GraphQL test server, one line per size."""
    lines = [
        "",
        "Fetch: the whole refresh (GraphQL paging, validation, atomic cache write) against the",
        "local test query node (graphql-core, same machine), page size 1000.",
        "",
        "| size | rows | seconds | rows/s | requests | requests per entity | peak MB |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for size in sizes:
        f = _child(["--child-fetch", size])
        per_entity = ", ".join(f"{k} {v}" for k, v in f["per_entity"].items())
        line = (
            f"| {size} | {f['rows']:,} | {f['seconds']:.1f} | {f['rows_per_s']:,.0f} "
            f"| {f['requests']} | {per_entity} | {f['peak_mb']:.0f} |"
        )
        print(line, flush=True)
        lines.append(line)
    return lines


def render(page: str, db: Path, repeat: int) -> dict[str, float]:
    """Render ``page`` in a fresh Python process so caches and memory start empty."""
    return _child(["--child", page, "--db", str(db), "--repeat", str(repeat)])


def run(sizes: list[str], pages: list[str], repeat: int) -> str:
    """Measure every page at every size; return the markdown report."""
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        f"; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "Render times are AppTest script runs (seconds): cold = first run in a fresh process,",
        f"warm = median of {repeat} reruns; ratio = warm / warm time of an empty page.",
        "",
        "| size | rounds | candidacies | votes | cache build s | page | cold s | warm s "
        "| warm / empty | peak MB |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for size in sizes:
        db, build_s = build_cache(size)
        empty = render(PAGES["empty"], db, repeat)
        rounds, candidates, votes = SIZES[size]
        for page in ["empty", *pages]:
            figures = empty if page == "empty" else render(PAGES[page], db, repeat)
            ratio = figures["warm"] / empty["warm"] if empty["warm"] else float("nan")
            line = (
                f"| {size} | {rounds:,} | {candidates:,} | {votes:,} | {build_s:.1f} | {page} "
                f"| {figures['cold']:.2f} | {figures['warm']:.3f} | {ratio:.1f} "
                f"| {figures['peak_mb']:.0f} |"
            )
            print(line, flush=True)
            lines.append(line)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--pages", default=",".join(name for name in PAGES if name != "empty"))
    parser.add_argument(
        "--fetch-sizes", default="mainnet,10x", help="sizes for the fetch benchmark ('' = none)"
    )
    parser.add_argument("--child-fetch", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_render_in_this_process(args.child, args.db, args.repeat)))
        return 0
    if args.child_fetch:
        print(json.dumps(_fetch_in_this_process(args.child_fetch)))
        return 0
    report = run(args.sizes.split(","), args.pages.split(","), args.repeat)
    fetch_sizes = [s for s in args.fetch_sizes.split(",") if s]
    if fetch_sizes:
        report += "\n".join(fetch_report(fetch_sizes)) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report)
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
