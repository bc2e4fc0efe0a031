"""A host's install, in a real browser: `pip install .` into a fresh virtualenv (no make, not
editable), `streamlit run app.py` from a folder with no cache and no project source, and the
Overview shows the bundled data (built from the snapshot shipped as package data).

Installing every dependency (Streamlit, pandas, pyarrow...) takes minutes on a busy machine,
so by default the fresh virtualenv installs only this package (``pip install --no-deps .``,
from the local tree, with build isolation as a host's pip does) and borrows the dependencies
of the interpreter running the tests through a .pth file. ``COUNCIL_INSTALL_TEST=full`` makes
it a complete ``pip install .`` from the registry (pip's cache is reused). Either way the
package, its package data and the app run from the new virtualenv, not from this checkout.
One server, one page. Marked ``install`` and ``browser``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
import time
import venv
from pathlib import Path

import pytest
from test_browser import SHOTS, browser, wait_idle  # noqa: F401 (browser: a fixture)

from deploy.local_replicas import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
APP_FILES = ["app.py", "app_pages", "assets", ".streamlit/config.toml"]

pytestmark = [pytest.mark.browser, pytest.mark.install]


def install_fresh(target: Path, full: bool) -> Path:
    """A new virtualenv at ``target`` with the project installed from the local tree.

    Not ``full``: only the project (--no-deps); the dependencies come from this interpreter's
    site-packages, added after the virtualenv's own by a .pth file.
    """
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    command = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)]
    if not full:
        site = subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        borrowed = sysconfig.get_paths()["purelib"]
        Path(site, "zz_borrowed_dependencies.pth").write_text(borrowed + "\n")
        command.append("--no-deps")
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return python


def test_pip_install_then_streamlit_run_shows_the_bundled_data(
    browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    started = time.perf_counter()
    python = install_fresh(tmp_path / "venv", full=os.environ.get("COUNCIL_INSTALL_TEST") == "full")
    print(f"install: {time.perf_counter() - started:.1f} s")
    site = tmp_path / "site"  # what a host deploys beside the package: the app's own files
    for name in APP_FILES:
        source, copy = ROOT / name, site / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, copy)
        else:
            shutil.copy(source, copy)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env.pop("PYTHONPATH", None)
    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1"],
        cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, server)
        context = browser.new_context(viewport={"width": 1400, "height": 1600})
        tab = context.new_page()
        tab.goto(url)
        # The first visit builds the cache (a spinner says so); a busy machine may take a while.
        tab.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=180_000)
        wait_idle(tab)
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SHOTS / "install-overview.png"), full_page=True)
        assert tab.locator("h1").first.inner_text().strip() == "Joystream Council Dashboard"
        sidebar = tab.locator("[data-testid='stSidebar']").inner_text()
        assert "Source: bundled snapshot" in sidebar
        assert "mainnet: #8,625,630" in sidebar  # the mainnet record's newest block
        metrics = tab.locator("[data-testid='stMetric']").all_inner_texts()
        assert any(m.startswith("Election rounds") for m in metrics)
        assert tab.locator("[data-testid='stException']").count() == 0
        context.close()
    finally:
        stop(server)
    # The installed copy, not this checkout, ran: its cache went to ./data of the site folder.
    assert (site / "data" / "council.db").stat().st_size > 0
    where = subprocess.run(
        [python, "-c", "import council; print(council.__file__)"],
        cwd=site, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "site-packages" in where and str(ROOT) not in where
