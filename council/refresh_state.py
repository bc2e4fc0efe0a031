"""What the app and the scheduler need to know about refreshes, kept beside the cache.

- A lock file (``<db>.lock``): one refresh at a time, from the CLI or the app's button.
- A status file (``<db>.refresh.json``): the last attempt, the last success and the one-line
  reason of the last failure. It lives outside the cache, so a failed refresh leaves the cache
  file byte-for-byte as it was and the app can still say why the data is old.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from filelock import FileLock, Timeout

from council import data, store
from council.store import utc_now_iso

DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RefreshBusy(Exception):
    """Another refresh holds the lock."""


class CannotRefresh(Exception):
    """The cache path is no place for a refresh to write (checked before taking the lock)."""


def check_target(db_path: Path) -> None:
    """Raise CannotRefresh when a refresh could not write ``db_path`` or must not replace it.

    The folder must take new files and ``db_path`` must not be a directory; an existing file
    must be a council cache in good order: another application's file, or a damaged cache,
    is never replaced (nothing stored is lost), it must be moved away first.
    """
    problem = store.write_problem(db_path)
    if problem:
        raise CannotRefresh(f"cannot write the cache at {db_path}: {problem}")
    try:
        data.check_cache(db_path)
    except data.CacheError as error:
        raise CannotRefresh(f"{error}; move it away, then refresh again") from error


def lock_path(db_path: Path) -> Path:
    """The lock file beside the cache."""
    return Path(f"{db_path}.lock")


def status_path(db_path: Path) -> Path:
    """The refresh status file beside the cache."""
    return Path(f"{db_path}.refresh.json")


@contextlib.contextmanager
def refresh_lock(db_path: Path, wait: float = 0) -> Iterator[None]:
    """Hold the refresh lock; wait up to ``wait`` seconds for it, else raise RefreshBusy."""
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path(db_path))
    try:
        lock.acquire(timeout=wait)
    except Timeout as error:
        raise RefreshBusy(
            f"another refresh is running (lock {lock_path(db_path)}); try again when it ends"
        ) from error
    try:
        yield
    finally:
        lock.release()


def read_status(db_path: Path) -> dict[str, str]:
    """The last refresh attempt's record ({} when there was none or it is unreadable)."""
    try:
        return json.loads(status_path(db_path).read_text())
    except (OSError, ValueError):
        return {}


def record_attempt(db_path: Path, endpoint: str, error: str | None) -> None:
    """Write the outcome of a refresh attempt (atomically: temp file, then rename)."""
    status = read_status(db_path)
    now = utc_now_iso()
    status.update({"last_attempt": now, "endpoint": endpoint, "last_error": error or ""})
    if error is None:
        status["last_success"] = now
    target = status_path(db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(status, indent=1, sort_keys=True))
    os.replace(temporary, target)


def parse_duration(text: str) -> timedelta:
    """``"15m"`` -> 15 minutes; units s, m, h, d. Raises ValueError on anything else."""
    match = DURATION.match(text)
    if not match:
        raise ValueError(f"not a duration like 15m, 2h or 1d: {text!r}")
    return timedelta(seconds=float(match.group(1)) * UNIT_SECONDS[match.group(2)])


def parse_time(text: str | None) -> datetime | None:
    """An ISO time with a Z suffix as an aware datetime; None for missing or bad text."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


def last_success_age(meta: dict[str, str], endpoint: str, now: datetime) -> timedelta | None:
    """How long ago the cache was last refreshed from ``endpoint`` (None: never)."""
    if meta.get("source") != endpoint:
        return None
    refreshed = parse_time(meta.get("refreshed_at"))
    return now - refreshed if refreshed else None


def age_span(age: timedelta) -> str:
    """An age in whole hours up to two days, else in whole days: ``"30 hours"``, ``"560 days"``."""
    hours = age.total_seconds() / 3600
    if hours < 48:
        return f"{hours:,.0f} hours"
    return f"{hours / 24:,.0f} days"


def freshness_problem(
    meta: dict[str, str],
    status: dict[str, str],
    stale_after: timedelta,
    now: datetime | None = None,
) -> str | None:
    """A one-line warning when the last refresh failed or the fetched data is too old."""
    now = now or datetime.now(UTC)
    last_success = parse_time(status.get("last_success"))
    last_attempt = parse_time(status.get("last_attempt"))
    if (
        status.get("last_error")
        and last_attempt
        and (not last_success or last_attempt > last_success)
    ):
        return (
            f"The last refresh failed ({last_attempt:%Y-%m-%d %H:%M} UTC): {status['last_error']}"
        )
    refreshed = parse_time(meta.get("refreshed_at"))
    fetched = meta.get("source", "").startswith("http")
    if fetched and refreshed and now - refreshed > stale_after:
        return (
            f"The data is {age_span(now - refreshed)} old "
            f"(last refresh {refreshed:%Y-%m-%d %H:%M} UTC)."
        )
    return None
