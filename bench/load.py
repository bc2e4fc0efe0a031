"""Load benchmark: K concurrent browser sessions against one replica or two behind nginx.

    python -m bench.load [--sizes mainnet,100x] [--sessions 5,10,25] [--setups one,two]
                         [--swap-sizes mainnet] [--out bench/results/load.md]

Each session is its own Chromium context (Debian's /usr/bin/chromium through Playwright) and
does three steps: open Overview; go to Election history and move the Rounds filter; go to
Leaderboard. A step's time is from the action until the app is idle (no running-script
indicator, a title, no loading skeletons). The K sessions start together and stay open until
all are done, so the servers hold K sessions when their memory is read (VmRSS of each
replica, minus its reading after one warm-up visit of each replica, divided by K).

For the sizes in ``--swap-sizes`` (default mainnet) the run replaces the cache while the
sessions work (a generated cache with one more round, written atomically like a refresh) and
checks that no session shows an error and that each one's Overview, opened after the swap,
counts the new number of rounds.

Figures, not pass/fail: they are written to bench/results/load.md (bench/results/latest.md
belongs to the page-render benchmark, ``python -m bench``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.__main__ import SIZES, build_cache  # noqa: E402
from deploy import local_replicas  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "load.md"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]
STEPS = ("overview", "elections + filter", "leaderboard")
IDLE_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && document.querySelector('[data-testid="stMainBlockContainer"] h1')"""
TIMEOUT_MS = 120_000


@dataclass
class Run:
    """One configuration's measurements."""

    size: str
    setup: str
    sessions: int
    times: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    errors: list[str] = field(default_factory=list)
    mb_per_session: float = float("nan")
    rss_mb: float = float("nan")
    wall: float = 0.0
    swap: str = ""
    load: float = float("nan")


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def idle(tab) -> None:
    """Wait until the app has finished running and drawing (checked twice, 300 ms apart)."""
    await tab.wait_for_timeout(300)
    await tab.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)
    await tab.wait_for_timeout(300)
    await tab.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)


async def timed(run: Run, step: str, action) -> None:
    started = time.perf_counter()
    await action()
    run.times[step].append(time.perf_counter() - started - 0.6)  # minus idle()'s two pauses


async def nav(tab, title: str) -> None:
    await tab.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).click()
    await idle(tab)


async def shown_problems(tab, where: str) -> list[str]:
    problems = []
    for testid in ("stException", "stAlertContentError"):
        if await tab.locator(f"[data-testid='{testid}']").count():
            text = await tab.locator(f"[data-testid='{testid}']").first.inner_text()
            problems.append(f"{where}: {text[:200]}")
    return problems


async def session(browser, url: str, run: Run, swapped: asyncio.Event | None) -> int | None:
    """One visitor's three steps; with ``swapped``, Overview again after the swap: its rounds."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1200})
    tab = await context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    try:

        async def open_overview() -> None:
            await tab.goto(url)
            await idle(tab)

        async def elections_and_filter() -> None:
            await nav(tab, "Election history")
            thumb = tab.locator(".st-key-rounds:not([data-stale='true']) input[type='range']").first
            await thumb.focus()
            await tab.keyboard.press("ArrowRight")
            await idle(tab)

        await timed(run, STEPS[0], open_overview)
        run.errors += await shown_problems(tab, "overview")
        await timed(run, STEPS[1], elections_and_filter)
        run.errors += await shown_problems(tab, "elections")
        await timed(run, STEPS[2], lambda: nav(tab, "Leaderboard"))
        run.errors += await shown_problems(tab, "leaderboard")
        if swapped is None:
            return None
        await swapped.wait()
        await nav(tab, "Overview")
        run.errors += await shown_problems(tab, "overview after the swap")
        metric = tab.locator("[data-testid='stMetric']").filter(has_text="Election rounds")
        return int((await metric.locator("[data-testid='stMetricValue']").inner_text()).strip())
    except Exception as error:  # a timeout or a lost page is a session error, not a crash
        run.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")
        return None
    finally:
        await context.close()


async def load_run(
    url: str, warm_urls: list[str], run: Run, pids: list[int], swap_db: Path | None
) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Warm-up: each replica once through every step, so first loads are not counted.
        for warm_url in warm_urls:
            await session(browser, warm_url, Run(run.size, run.setup, 1), None)
        run.load = os.getloadavg()[0]
        baseline = sum(rss_mb(pid) for pid in pids)
        swapped = asyncio.Event() if swap_db else None
        tasks = [
            asyncio.create_task(session(browser, url, run, swapped)) for _ in range(run.sessions)
        ]
        peak = baseline
        started = time.perf_counter()
        swap_thread = None
        if swap_db:
            swap_thread = threading.Thread(target=_swap, args=(swap_db, run.size))
            await asyncio.sleep(2)  # the sessions are under way
            swap_thread.start()
        while not all(t.done() for t in tasks):
            peak = max(peak, sum(rss_mb(pid) for pid in pids))
            if swap_thread and not swap_thread.is_alive() and swapped and not swapped.is_set():
                swapped.set()
            await asyncio.sleep(0.5)
        results = [t.result() for t in tasks]
        run.wall = time.perf_counter() - started
        run.rss_mb = peak
        run.mb_per_session = (peak - baseline) / run.sessions
        if swap_db:
            expected = SIZES[run.size][0] + 1
            seen = sorted({r for r in results if r is not None})
            run.swap = f"{sum(r == expected for r in results)}/{run.sessions} saw {expected} rounds"
            if seen != [expected]:
                run.errors.append(f"after the swap sessions saw rounds {seen}, not {expected}")
        await browser.close()


def _swap(db: Path, size: str) -> None:
    """Replace the cache atomically with one round more (what a refresh does to the file)."""
    from council.synthetic import write_synthetic_cache

    rounds, candidates, votes = SIZES[size]
    write_synthetic_cache(db, rounds + 1, candidates, votes, seed=1)


def measure(size: str, setup: str, sessions: int, swap: bool) -> Run:
    """Start the servers for ``setup`` on a copy of the ``size`` cache and run ``sessions``."""
    source, _ = build_cache(size)
    db = source
    if swap:  # the swap must not touch the shared generated cache: a copy is swapped
        work = ROOT / "bench" / "caches" / "load"
        work.mkdir(parents=True, exist_ok=True)
        db = work / f"{size}.db"
        shutil.copyfile(source, db)
    run = Run(size, setup, sessions)
    two = setup == "two"
    with local_replicas.running(db, replicas=2 if two else 1, with_nginx=two) as started:
        swap_db = db if swap else None
        asyncio.run(load_run(started.url, started.replica_urls, run, started.pids, swap_db))
    return run


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def table(runs: list[Run]) -> str:
    lines = [
        "| size | setup | sessions | step | p50 s | p95 s | errors | server MB | MB / session "
        "| wall s | load | swap |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        for step in STEPS:
            times = run.times[step]
            lines.append(
                f"| {run.size} | {run.setup} | {run.sessions} | {step} | "
                f"{statistics.median(times) if times else float('nan'):.2f} | "
                f"{percentile(times, 0.95):.2f} | {len(run.errors)} | {run.rss_mb:.0f} | "
                f"{run.mb_per_session:.1f} | {run.wall:.0f} | {run.load:.1f} | {run.swap} |"
            )
    return "\n".join(lines)


def write_results(runs: list[Run], out: Path, note: str) -> None:
    load = os.getloadavg()
    header = (
        "# Load benchmark (`python -m bench.load`)\n\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average "
        f"at the end {load[0]:.1f}.\n"
        "Sessions: Chromium contexts on the same machine as the servers. Setup *one*: one "
        "replica, no proxy; *two*: two replicas behind nginx (deploy/local_replicas.py). Times "
        "are to idle after each step; server MB is the replicas' peak resident memory with all "
        "sessions open, MB / session its growth over the warmed-up server divided by the "
        "sessions; load is the machine's 1-minute load average when the sessions started "
        "(other work on the machine slows every figure). *swap*: the cache was replaced "
        "during the run; how many sessions then saw the new data.\n\n"
    )
    errors = [f"- {r.size}/{r.setup}/{r.sessions}: {e}" for r in runs for e in r.errors[:5]]
    body = table(runs) + "\n\n" + (note + "\n\n" if note else "")
    if errors:
        body += "Errors (first five per run):\n\n" + "\n".join(errors) + "\n"
    out.write_text(header + body)
    # The same figures as a section of bench/results/latest.md, beside the page timings.
    from bench.__main__ import write_section

    write_section("load", "## Load: concurrent sessions (`python -m bench.load`)\n\n" + body)


def _order(run: Run) -> tuple[str, str, int]:
    return (run.size, run.setup, run.sessions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--sizes", default="mainnet,100x")
    parser.add_argument("--sessions", default="5,10,25")
    parser.add_argument("--setups", default="one,two")
    parser.add_argument(
        "--swap-sizes", default="mainnet", help="sizes whose runs swap the cache ('' for none)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--note", default="", help="a line added under the table")
    args = parser.parse_args(argv)
    runs: list[Run] = []
    # Fewest sessions first over every size and setup: a stopped run still covers them all.
    for sessions in (int(k) for k in args.sessions.split(",")):
        for size in args.sizes.split(","):
            for setup in args.setups.split(","):
                run = measure(size, setup, sessions, size in args.swap_sizes.split(","))
                runs.append(run)
                print(table([run]), flush=True)
                write_results(sorted(runs, key=_order), args.out, args.note)  # after every run
    return 0


if __name__ == "__main__":
    sys.exit(main())
