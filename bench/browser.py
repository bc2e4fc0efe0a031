"""What a visitor feels: pages timed in a real browser against a running server.

One ``streamlit run bench/bench_app.py`` server per cache (the app plus an empty page,
``/empty``), driven by Playwright in Debian's Chromium. For every page: the time from
navigation to idle and the bytes the server sent over the websocket; then the page's main
filter is changed and the time from the change to idle and its bytes are measured the same way.
Each page is visited twice: ``first`` (the page's own caches empty; the app's data cache is
already loaded by the fresh server's first visit, and the server's background warm-up after
it has finished) and ``again`` (a new visitor after that).

Idle: the server has sent a successful ``script_finished`` message after the navigation or
the change, the browser shows no running indicator (``stStatusWidget``) and no loading
skeleton, and no message follows for ``QUIET`` seconds (that quiet wait is not counted).
Frames are timed as Playwright delivers them (polled every ``POLL`` seconds).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from council.ui.background import WARM_UP_DELAY
from deploy.local_replicas import free_port, start_replica, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
POLL = 0.02
QUIET = 0.6
RUNNING = (
    "() => !!document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " || !!document.querySelector('[data-testid=\"stSkeleton\"]')"
)


def _slide(tab, key: str) -> Callable[[], None]:
    """Focus the slider's first thumb; the returned step moves it one step right."""
    tab.locator(f".st-key-{key}:not([data-stale='true']) input[type='range']").first.focus()
    return lambda: tab.keyboard.press("ArrowRight")


def _pick_next(tab, key: str, multi: bool = False) -> Callable[[], None]:
    """Open the select box; the returned step picks the next option with the keyboard."""
    tab.locator(f".st-key-{key}:not([data-stale='true']) input[role='combobox']").click()
    tab.keyboard.press("ArrowDown")

    def step() -> None:
        tab.keyboard.press("Enter")
        if multi:
            tab.keyboard.press("Escape")

    return step


def _type(tab, key: str, text: str) -> Callable[[], None]:
    box = tab.locator(f".st-key-{key}:not([data-stale='true']) input").first
    box.fill(text)
    return lambda: box.press("Enter")


# page -> (URL path, main filter: (description, prepare -> step)); None: no filter besides
# the network, and a generated cache has one network.
PAGES: dict[str, tuple[str, tuple[str, Callable] | None]] = {
    "empty": ("empty", None),
    "overview": ("", None),
    "elections": ("elections", ("rounds slider one step", lambda t: _slide(t, "rounds"))),
    "leaderboard": ("leaderboard", ("terms slider one step", lambda t: _slide(t, "terms"))),
    "spending": ("spending", ("minimum amount 1000 JOY", lambda t: _type(t, "min", "1000"))),
    "kpis": ("kpis", ("add a status", lambda t: _pick_next(t, "status", multi=True))),
    "election_watch": ("election_watch", None),
    "term_report": ("term_report", ("another term", lambda t: _pick_next(t, "term"))),
    "about": ("about", None),
    "this_week": ("this_week", ("add a stage", lambda t: _pick_next(t, "stage", multi=True))),
    "voters": ("voters", ("rounds slider one step", lambda t: _slide(t, "rounds"))),
    "working_groups": (
        "working_groups",
        ("terms slider one step", lambda t: _slide(t, "terms")),
    ),
    "council_log": (
        "council_log",
        ("text contains 'budget'", lambda t: _type(t, "log_text", "budget")),
    ),
}


@dataclass
class Frame:
    at: float
    size: int
    finished: bool  # a script run that ended successfully (not stopped for a rerun)


@dataclass
class Meter:
    """Every websocket frame the server sends to the tab, timed on arrival."""

    frames: list[Frame] = field(default_factory=list)

    def attach(self, tab) -> None:
        tab.on("websocket", self._socket)

    def _socket(self, ws) -> None:
        if "_stcore/stream" in ws.url:
            ws.on("framereceived", self._frame)

    def _frame(self, payload: bytes | str) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        data = payload if isinstance(payload, bytes) else payload.encode()
        finished = False
        with contextlib.suppress(Exception):
            message = ForwardMsg.FromString(data)
            if message.WhichOneof("type") == "script_finished":
                finished = message.script_finished in (
                    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
                    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
                )
        self.frames.append(Frame(time.perf_counter(), len(data), finished))


def wait_idle(tab, meter: Meter, since: float, timeout: float = 300) -> tuple[float, int]:
    """Seconds from ``since`` to idle, and the bytes received from ``since`` to then."""
    settled: float | None = None
    deadline = since + timeout
    while True:
        tab.wait_for_timeout(POLL * 1000)
        now = time.perf_counter()
        if now > deadline:
            raise TimeoutError("the page never became idle")
        after = [f for f in meter.frames if f.at >= since]
        if not any(f.finished for f in after) or tab.evaluate(RUNNING):
            settled = None
            continue
        last_frame = max(f.at for f in after)
        if settled is None or last_frame > settled:
            settled = max(now, last_frame) if settled is None else last_frame
        if now - settled >= QUIET:
            sent = sum(f.size for f in after if f.at <= settled)
            return settled - since, sent


@dataclass
class Visit:
    page: str
    load_s: float
    load_bytes: int
    load_cpu_s: float
    filter_name: str | None = None
    filter_s: float | None = None
    filter_bytes: int | None = None
    filter_cpu_s: float | None = None


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds process ``pid`` has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def visit(tab, meter: Meter, base: str, page: str, pid: int) -> Visit:
    """Navigate to ``page``, wait for idle, then change its main filter and wait again.

    Besides wall time and bytes, the server's CPU seconds over each wait (less sensitive to
    other load on the machine than the wall time)."""
    path, action = PAGES[page]
    cpu = cpu_seconds(pid)
    started = time.perf_counter()
    tab.goto(f"{base}/{path}", wait_until="commit")
    load_s, load_bytes = wait_idle(tab, meter, started)
    result = Visit(page, load_s, load_bytes, cpu_seconds(pid) - cpu)
    if tab.locator("[data-testid='stException']").count():  # a broken page is not measured
        raise RuntimeError(f"{page} shows an exception: {tab.inner_text('body')[:2000]}")
    if action is not None:
        name, prepare = action
        step = prepare(tab)
        tab.wait_for_timeout(300)  # opening a select box sends nothing; let it settle
        cpu = cpu_seconds(pid)
        started = time.perf_counter()
        step()
        result.filter_name = name
        result.filter_s, result.filter_bytes = wait_idle(tab, meter, started)
        result.filter_cpu_s = cpu_seconds(pid) - cpu
    return result


def wait_server_idle(
    pid: int, window: float = 0.5, busy_share: float = 0.05, timeout: float = 60
) -> float:
    """Seconds until the server's CPU use over a ``window`` falls under ``busy_share`` (its
    background warm-up after loading the cache is done), at most ``timeout``; not before
    the warm-up has started (``WARM_UP_DELAY`` after the page that read the cache)."""
    started = time.perf_counter()
    time.sleep(WARM_UP_DELAY + 0.2)
    while time.perf_counter() - started < timeout:
        before = cpu_seconds(pid)
        time.sleep(window)
        if cpu_seconds(pid) - before < busy_share * window:
            break
    return time.perf_counter() - started


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) MB of process ``pid`` (Linux /proc)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


@contextlib.contextmanager
def serve(db: Path) -> Iterator[tuple[str, subprocess.Popen, float]]:
    """The bench app on a free port reading ``db``: (base URL, process, seconds to healthy)."""
    port = free_port()
    env = {**os.environ, "COUNCIL_DB": str(db), "COUNCIL_UPLOADS_DB": f"{db}.uploads"}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="council-bench-") as logs:
        process = start_replica(port, env, Path(logs) / "streamlit.log", "bench/bench_app.py")
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, process, timeout=600)
            yield base, process, time.perf_counter() - started
        finally:
            stop(process)


@contextlib.contextmanager
def metered_tab(playwright) -> Iterator[tuple[object, Meter]]:
    """A new Chromium's tab with a :class:`Meter` on its websocket; closed on exit."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1800})
        context.set_default_timeout(300_000)
        tab = context.new_page()
        meter = Meter()
        meter.attach(tab)
        yield tab, meter
    finally:
        browser.close()


def warmed_first_page(db: Path, page: str = "overview") -> dict:
    """A fresh server warmed as the deploy warms a replica (deploy/warm_up.py: the app run once
    before any visitor), then idle: its first visitor's ``page``."""
    from playwright.sync_api import sync_playwright

    from deploy import warm_up

    with serve(db) as (base, process, _), sync_playwright() as p:
        started = time.perf_counter()
        problem = warm_up.warm(base)
        if problem:
            raise RuntimeError(problem)
        warm_s = time.perf_counter() - started
        wait_server_idle(process.pid)
        with metered_tab(p) as (tab, meter):
            first = visit(tab, meter, base, page, process.pid)
    return {"warm_up_s": warm_s, "first_page_s": first.load_s, "first_page_cpu_s": first.load_cpu_s}


def measure(db: Path, pages: list[str], first_page: str = "overview") -> dict:
    """Everything for one cache: the fresh server's first page, then every page twice."""
    from playwright.sync_api import sync_playwright

    with (
        serve(db) as (base, process, healthy_s),
        sync_playwright() as p,
        metered_tab(p) as (tab, meter),
    ):
        pid = process.pid
        fresh = visit(tab, meter, base, first_page, pid)  # loads the data cache
        # "Once the server has loaded the cache": its warm-up in the background too.
        idle_after_s = wait_server_idle(pid)
        first = [visit(tab, meter, base, page, pid) for page in pages]
        again = [visit(tab, meter, base, page, pid) for page in pages]
        rss, peak = memory_mb(process.pid)
    return {
        "healthy_s": healthy_s,
        "fresh_first_page_s": fresh.load_s,
        "server_idle_after_s": idle_after_s,
        "fresh_first_page_cpu_s": fresh.load_cpu_s,
        "load_average": os.getloadavg(),
        "first": [v.__dict__ for v in first],
        "again": [v.__dict__ for v in again],
        "rss_mb": rss,
        "peak_rss_mb": peak,
    }
