"""Working-group statistics: pure pandas, DataFrames in and out, amounts in JOY.

Inputs are the cache's working-group frames as ``council.data`` reads them (one network's
rows), bundled in :class:`WGFrames`. Blocks are inclusive: a range ``(start, end)`` holds the
events of blocks ``start`` to ``end``; ``end`` None means "up to the newest data".

How the figures are made (the page's notes say the same):

- **Budget** of a group at block b: the query node's budget events replayed from the start,
  budget set (a new balance), council updates (+ top-up, - taken back), spending by the lead
  and rewards paid (-). Start of a range: the balance before its first block; end: after its
  last. ``refilled`` is the council's net change in the range (updates, and the change a
  budget set made), so ``end = start + refilled - spending - worker rewards - lead rewards``
  holds exactly.
- **Lead** at block b: the worker a LeaderSet named, until the lead was unset, terminated as
  lead, left, or the next lead was set. A reward paid to a worker while they were lead is a
  lead reward; other rewards (regular and missed ones caught up) are worker rewards.
- **Headcount** at block b: workers hired at or before b whose role had not ended by b
  (a worker who asked to leave is in the role until they exit). Hired / terminated / left
  count the workers whose entry / termination / exit falls in the range.
- **Debt** (missed rewards owed) at block b: for each worker still in the role, the last
  missed-reward level the query node reported at or before b (0 once it is paid).
- **Slashed**: stake slashed in the range (a termination's penalty is slashed too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from council.working_groups.qn_builder import MAINNET_GROUPS

BLOCKS_PER_DAY = 14_400  # 6-second blocks

BUDGET_KINDS = ("budget_set", "budget_updated", "budget_spending", "reward_paid")
LEAD_END_KINDS = ("leader_unset", "terminated_leader", "worker_exited", "terminated_worker")


@dataclass(frozen=True)
class WGFrames:
    """One network's working-group frames (``council.data`` columns, JOY amounts)."""

    groups: pd.DataFrame
    workers: pd.DataFrame
    events: pd.DataFrame
    members: pd.DataFrame

    @property
    def is_empty(self) -> bool:
        """True when there is no working-group data at all."""
        return self.groups.empty and self.workers.empty and self.events.empty


def frames_of(d: Any, events: pd.DataFrame | None = None) -> WGFrames:
    """The working-group frames of a ``CouncilData`` (one network's, via ``for_network``);
    ``events``: the network's events when read apart (``data.load_wg_events``)."""
    events = d.working_group_events if events is None else events
    return WGFrames(d.working_groups, d.workers, events, d.members)


def group_label(group_id: str) -> str:
    """The council's name for a group (``operationsWorkingGroupAlpha`` -> ``Builders``)."""
    return MAINNET_GROUPS.get(group_id, str(group_id))


def group_ids(f: WGFrames) -> list[str]:
    """Every group of the data, in the mainnet order, then others by id."""
    known = {*f.groups["id"].unique(), *f.workers["group_id"].unique()}
    known |= set(f.events["group_id"].unique())
    known = {g for g in known if isinstance(g, str)}
    order = {g: i for i, g in enumerate(MAINNET_GROUPS)}
    return sorted(known, key=lambda g: (order.get(g, len(order)), str(g)))


def _handles(f: WGFrames) -> dict[str, str]:
    return dict(zip(f.members["id"].astype(str), f.members["handle"], strict=False))


def _ordered(events: pd.DataFrame) -> pd.DataFrame:
    """Events in chain order: by block, then the index in the block (from the event id)."""
    index = np.zeros(len(events), dtype=np.int64)
    shared = events["block"].duplicated(keep=False).to_numpy()  # only these need the index
    if shared.any():
        ids = events["event_id"].to_numpy(dtype=object)[shared]
        index[shared] = [_index_in_block(i) for i in ids]
    return events.assign(_index=index).sort_values(["block", "_index"], kind="stable")


def _index_in_block(event_id: object) -> int:
    """``OLYMPIA-123-4`` -> 4 (0 when the id has no such suffix)."""
    tail = str(event_id).rpartition("-")[2]
    return int(tail) if tail.isdigit() else 0


def _end(f: WGFrames, end: int | None) -> int:
    if end is not None:
        return int(end)
    blocks = pd.concat([f.events["block"], f.workers["hired_at_block"]]).dropna()
    return int(blocks.max()) if len(blocks) else 0


# --- Leads -----------------------------------------------------------------------------------


def lead_history(f: WGFrames) -> pd.DataFrame:
    """One row per lead term: group_id, worker_id, member_id, handle, from_block, from_time,
    until_block and until_time (NaN while still lead) and how it ended (unset / terminated / left /
    replaced). From the LeaderSet events; a group without any but with a worker flagged lead
    gets that worker from their hiring."""
    ev = f.events
    sets = _ordered(ev[(ev["kind"] == "leader_set") & ev["worker_id"].notna()])
    leads = set(sets["worker_id"])
    ends = ev[ev["kind"].isin(LEAD_END_KINDS) & ev["worker_id"].isin(leads)]
    ends = _ordered(ends)
    ends_of: dict[str, list[tuple[int, str, Any]]] = {}
    for worker, block, kind, time in zip(
        ends["worker_id"], ends["block"], ends["kind"], ends["time"], strict=True
    ):
        ends_of.setdefault(worker, []).append((int(block), kind, time))
    set_rows = list(
        zip(sets["group_id"], sets["worker_id"], sets["block"], sets["time"], strict=True)
    )
    rows = []
    for i, (group, worker, block, time) in enumerate(set_rows):
        later = [(b, t) for g, _, b, t in set_rows[i + 1 :] if g == group]
        nxt, nxt_time = later[0] if later else (np.inf, None)
        mine = [(b, k, t) for b, k, t in ends_of.get(worker, []) if block <= b <= nxt]
        until, until_time = (nxt, nxt_time) if np.isfinite(nxt) else (np.nan, None)
        how = "replaced" if np.isfinite(nxt) else None
        if mine:
            until, _, until_time = mine[0]
            same = {k for b, k, _ in mine if b == until}
            how = "terminated" if any(k.startswith("terminated") for k in same) else "unset"
            how = "left" if "worker_exited" in same else how
        rows.append((group, worker, block, time, until, until_time, how))
    flagged = f.workers[f.workers["is_lead"].astype(bool)]
    for _, w in flagged[~flagged["group_id"].isin(sets["group_id"])].iterrows():
        how = {"left": "left", "terminated": "terminated"}.get(w["status"])
        rows.append(
            (w["group_id"], w["id"], w["hired_at_block"], w["hired_at_time"],
             w["ended_at_block"], w["ended_at_time"], how)
        )  # fmt: skip
    history = pd.DataFrame(
        rows,
        columns=[
            "group_id",
            "worker_id",
            "from_block",
            "from_time",
            "until_block",
            "until_time",
            "ended",
        ],
    )
    member = dict(zip(f.workers["id"], f.workers["member_id"], strict=False))
    history["member_id"] = history["worker_id"].map(member)
    history["handle"] = history["member_id"].map(_handles(f))
    history["from_block"] = history["from_block"].astype(float)
    history["until_block"] = history["until_block"].astype(float)
    return history.sort_values(["group_id", "from_block"], kind="stable").reset_index(drop=True)


def lead_at(history: pd.DataFrame, block: int) -> pd.DataFrame:
    """The lead of each group at ``block`` (rows of :func:`lead_history`), by group_id."""
    on = history[
        (history["from_block"] <= block)
        & (history["until_block"].isna() | (history["until_block"] > block))
    ]
    return on.drop_duplicates("group_id", keep="last").set_index("group_id")


# --- Budgets ---------------------------------------------------------------------------------


def budget_changes(f: WGFrames, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every budget movement in chain order: group_id (categorical), block, time, ``delta``
    (JOY; a budget set's is the change it made), ``balance`` after it, and ``item``
    (categorical): refill, spending, worker reward or lead reward."""
    history = lead_history(f) if history is None else history
    used = ["kind", "group_id", "block", "time", "worker_id", "amount_joy", "event_id"]
    events = f.events.loc[f.events["kind"].isin(BUDGET_KINDS), used]  # sorting moves less
    events = _ordered(events).reset_index(drop=True)
    amount = events["amount_joy"].astype(float).fillna(0.0)
    kind = events["kind"].to_numpy()
    is_set, is_update = kind == "budget_set", kind == "budget_updated"
    is_set = pd.Series(is_set, index=events.index)
    flow = np.select([is_update, is_set], [amount, 0.0], default=-amount)
    out = events[["group_id", "block", "time"]].copy()
    out["group_id"] = out["group_id"].astype("category")  # fast filters and group-bys
    segment = is_set.groupby(events["group_id"]).cumsum()
    base = amount.where(is_set).groupby([events["group_id"], segment]).transform("first")
    base = base.fillna(0.0)
    flow_s = pd.Series(flow, index=events.index)
    out["balance"] = base + flow_s.groupby([events["group_id"], segment]).cumsum()
    before = out.groupby("group_id")["balance"].shift(1).fillna(0.0)
    out["delta"] = np.where(is_set, out["balance"] - before, flow)
    # The item as codes into ITEMS (sorted, as a category of the labels would be).
    item = np.select(
        [is_update | is_set.to_numpy(), kind == "budget_spending"],
        [ITEMS.index("refill"), ITEMS.index("spending")],
        default=ITEMS.index("worker reward"),
    )
    paid = kind == "reward_paid"
    if paid.any() and len(history):
        rewards = events.loc[paid, ["worker_id", "block"]]
        leads = _paid_as_lead(rewards, history).reindex(events.index, fill_value=False)
        item[paid & leads.to_numpy()] = ITEMS.index("lead reward")
    categories = pd.Categorical.from_codes(item, categories=ITEMS)
    out["item"] = categories.remove_unused_categories()
    return out


# The items of a budget movement, sorted.
ITEMS = ["lead reward", "refill", "spending", "worker reward"]


def _paid_as_lead(rewards: pd.DataFrame, history: pd.DataFrame) -> pd.Series:
    """Whether each reward row went to its worker while they were lead."""
    # Only the rewards of workers who were ever lead can be lead rewards.
    rows = rewards.loc[rewards["worker_id"].isin(set(history["worker_id"])), ["worker_id", "block"]]
    rows = rows.reset_index()
    matched = rows.merge(history[["worker_id", "from_block", "until_block"]], on="worker_id")
    inside = (matched["block"] >= matched["from_block"]) & (
        matched["until_block"].isna() | (matched["block"] < matched["until_block"])
    )
    lead_rows = set(matched.loc[inside, "index"])
    return pd.Series(rewards.index.isin(lead_rows), index=rewards.index)


Ledger = dict[str, tuple[np.ndarray, np.ndarray]]


def ledger(changes: pd.DataFrame) -> Ledger:
    """Per group, the blocks and balances of :func:`budget_changes` as arrays (for lookups)."""
    return {
        g: (part["block"].to_numpy(dtype=float), part["balance"].to_numpy(dtype=float))
        for g, part in changes.groupby("group_id", sort=False, observed=True)
    }


def balance(book: Ledger, group: str, block: float) -> float:
    """A group's budget after every movement up to and including ``block`` (0 before any)."""
    if group not in book:
        return 0.0
    blocks, balances = book[group]
    at = int(np.searchsorted(blocks, block, side="right")) - 1
    return float(balances[at]) if at >= 0 else 0.0


def balances_at(changes: pd.DataFrame, groups: list[str], block: float) -> pd.Series:
    """Each group's budget after every movement up to and including ``block`` (0 before any)."""
    book = ledger(changes)
    return pd.Series([balance(book, g, block) for g in groups], index=groups, dtype=float)


# At most this many points on the budget chart (all groups together).
CHART_POINTS = 2_000


def chart_step(first: pd.Timestamp, last: pd.Timestamp, groups: int, max_points: int) -> int:
    """The days per bin of :func:`budget_over_time` for movements on days ``first`` to
    ``last`` in ``groups`` groups (also what ``reward_totals`` buckets by)."""
    span = max(1, (last - first).days + 1)
    return max(1, int(np.ceil(span * groups / max_points)))


def budget_over_time(changes: pd.DataFrame, max_points: int = CHART_POINTS) -> pd.DataFrame:
    """Each group's budget at the end of every day it moved: group_id, group, day, budget.

    Over a long history the days are binned (2, 3, ... days) so that all groups together
    give at most ``max_points`` points; each bin keeps its last balance.
    """
    if changes.empty:
        return pd.DataFrame(columns=["group_id", "group", "day", "budget"])
    day = pd.to_datetime(changes["time"], utc=True).dt.floor("D")
    first = day.min()
    step = chart_step(first, day.max(), changes["group_id"].nunique(), max_points)
    binned = first + pd.to_timedelta((day - first).dt.days // step * step, unit="D")
    frame = changes.assign(day=binned)
    daily = frame.groupby(["group_id", "day"], as_index=False, observed=True)["balance"].last()
    daily["group"] = daily["group_id"].map(group_label)
    return daily.rename(columns={"balance": "budget"})[["group_id", "group", "day", "budget"]]


# --- Headcount and debt ----------------------------------------------------------------------


def in_role_at(workers: pd.DataFrame, block: float) -> pd.Series:
    """Whether each worker held their role at ``block``."""
    hired = workers["hired_at_block"].astype(float) <= block
    ended = workers["ended_at_block"].astype(float)
    return hired & (ended.isna() | (ended > block))


def debt_at(f: WGFrames, groups: list[str], block: float) -> pd.Series:
    """Missed rewards owed per group at ``block`` (JOY)."""
    return _debt(missed_levels(f), f.workers, groups, block)


def missed_levels(f: WGFrames) -> pd.DataFrame:
    """The missed-reward level events in chain order (what :func:`debt_at` reads)."""
    return _ordered(f.events[f.events["kind"] == "missed_reward_level"])


def _debt(
    levels: pd.DataFrame, workers: pd.DataFrame, groups: list[str], block: float
) -> pd.Series:
    # ``levels`` in chain order: cutting whole blocks off keeps the order of the rest.
    last = levels[levels["block"] <= block].groupby("worker_id")["amount_joy"].last()
    present = workers[in_role_at(workers, block)].set_index("id")
    owed = last.reindex(present.index).fillna(0.0)
    return owed.groupby(present["group_id"]).sum().reindex(groups).fillna(0.0)


# --- Per range and per term ------------------------------------------------------------------

SUMMARY_COLUMNS = [
    "group_id", "group", "lead", "lead_since_block", "lead_since_time", "workers", "hired",
    "terminated", "left", "budget_start", "refilled", "spending", "worker_rewards",
    "lead_rewards", "spent", "budget_end", "debt", "slashed", "budget_now",
]  # fmt: skip


def _count_in(blocks: pd.Series, keys: pd.Series, start: float, end: float) -> pd.Series:
    inside = (blocks >= start) & (blocks <= end)
    return keys[inside].value_counts()


@dataclass(frozen=True)
class Basis:
    """What :func:`group_summary` needs for any range, computed once: the groups, the newest
    block, the lead history, the budget movements (in chain order) and their ledger, the
    missed-reward levels and the stake slashes (both in chain order), the workers and the
    groups' current budgets."""

    groups: list[str]
    newest: int
    history: pd.DataFrame
    changes: pd.DataFrame
    book: Ledger
    levels: pd.DataFrame
    slashes: pd.DataFrame
    workers: pd.DataFrame
    budget_now: pd.Series


def basis(
    f: WGFrames, history: pd.DataFrame | None = None, changes: pd.DataFrame | None = None
) -> Basis:
    """The :class:`Basis` of ``f`` (``history``/``changes``: precomputed :func:`lead_history`
    and :func:`budget_changes`)."""
    history = lead_history(f) if history is None else history
    changes = budget_changes(f, history) if changes is None else changes
    ev = f.events
    slashes = ev[ev["kind"] == "stake_slashed"][["group_id", "block", "amount_joy"]]
    budget_now = f.groups.set_index("id")["budget_joy"] if len(f.groups) else pd.Series()
    return Basis(
        group_ids(f), _end(f, None), history, changes, ledger(changes), missed_levels(f),
        slashes, f.workers, budget_now,
    )  # fmt: skip


def group_summary(
    f: WGFrames,
    start: int,
    end: int | None,
    history: pd.DataFrame | None = None,
    changes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per group for blocks ``start``..``end`` (inclusive; None: to the newest data).

    Columns (amounts in JOY): group_id, group, lead (handle at the end of the range; None
    without one), lead_since_block/_time, workers (headcount at the end), hired, terminated,
    left, budget_start, refilled, spending, worker_rewards, lead_rewards, spent (the three
    together), budget_end, debt (missed rewards owed at the end), slashed, budget_now (the
    query node's current budget). ``history``/``changes``: precomputed :func:`lead_history`
    and :func:`budget_changes`.
    """
    return summary_of(basis(f, history, changes), start, end)


def summary_of(b: Basis, start: int, end: int | None) -> pd.DataFrame:
    """:func:`group_summary` from a precomputed :class:`Basis` (what a page does per range)."""
    groups = b.groups
    last = b.newest if end is None else int(end)
    history, changes = b.history, b.changes
    out = pd.DataFrame({"group_id": groups})
    out["group"] = out["group_id"].map(group_label)
    lead = lead_at(history, last)
    out["lead"] = out["group_id"].map(lead["handle"])
    out["lead_since_block"] = out["group_id"].map(lead["from_block"])
    out["lead_since_time"] = out["group_id"].map(lead["from_time"])
    w = b.workers
    out["workers"] = out["group_id"].map(w[in_role_at(w, last)]["group_id"].value_counts())
    ended = w["ended_at_block"].astype(float)
    hired = _count_in(w["hired_at_block"].astype(float), w["group_id"], start, last)
    fired = _count_in(ended.where(w["status"] == "terminated"), w["group_id"], start, last)
    left = _count_in(ended.where(w["status"] == "left"), w["group_id"], start, last)
    for name, counts in (("hired", hired), ("terminated", fired), ("left", left)):
        out[name] = out["group_id"].map(counts)
    for name in ("workers", "hired", "terminated", "left"):
        out[name] = out[name].fillna(0).astype(int)
    out["budget_start"] = np.array([balance(b.book, g, start - 1) for g in groups], dtype=float)
    # Movements are in chain order, so by block: the range is one slice (same rows, same order).
    blocks = changes["block"].to_numpy()
    lo, hi = np.searchsorted(blocks, start, "left"), np.searchsorted(blocks, last, "right")
    inside = changes.iloc[lo:hi]
    sums = inside.groupby(["group_id", "item"], observed=True)["delta"].sum()
    sums = sums.unstack(fill_value=0.0)
    for column, item, sign in (
        ("refilled", "refill", 1),
        ("spending", "spending", -1),
        ("worker_rewards", "worker reward", -1),
        ("lead_rewards", "lead reward", -1),
    ):
        values = sums[item] if item in sums.columns else pd.Series(dtype=float)
        out[column] = (sign * values).reindex(groups).fillna(0.0).to_numpy() + 0.0
    out["spent"] = out["spending"] + out["worker_rewards"] + out["lead_rewards"]
    out["budget_end"] = np.array([balance(b.book, g, last) for g in groups], dtype=float)
    out["debt"] = _debt(b.levels, w, groups, last).to_numpy()
    s = b.slashes
    slashes = s[(s["block"] >= start) & (s["block"] <= last)]
    out["slashed"] = out["group_id"].map(slashes.groupby("group_id")["amount_joy"].sum())
    out["slashed"] = out["slashed"].fillna(0.0)
    out["budget_now"] = out["group_id"].map(b.budget_now).astype(float)
    return out[SUMMARY_COLUMNS]


PER_TERM_COLUMNS = [
    "term", "group_id", "group", "workers", "hired", "terminated", "left", "refilled",
    "spent", "budget_end",
]  # fmt: skip


def _term_of(blocks: pd.Series, terms: pd.DataFrame) -> pd.Series:
    """The term number of each block (NA outside every term); ``terms`` sorted by start."""
    starts = terms["start_block"].to_numpy(dtype=float)
    ends = terms["end_block"].to_numpy(dtype=float)
    values = blocks.to_numpy(dtype=float)
    at = np.searchsorted(starts, values, side="right") - 1
    ok = (at >= 0) & ~np.isnan(values)
    ok[ok] &= values[ok] < ends[at[ok]]
    numbers = terms["term"].to_numpy()[np.clip(at, 0, None)]
    return pd.Series(np.where(ok, numbers, np.nan), index=blocks.index)


def per_term(f: WGFrames, terms: pd.DataFrame, changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per term and group: term, group_id, group, workers (headcount at the term's
    last block), hired, terminated, left, refilled, spent (spending and rewards) and
    budget_end, as :func:`group_summary` counts them for that term.

    ``terms``: term, start_block, end_block (exclusive; inf for the running term), as
    ``council.stats.leaderboard.terms`` gives them.
    """
    groups = group_ids(f)
    terms = terms.sort_values("start_block").reset_index(drop=True)
    if terms.empty or not groups:
        return pd.DataFrame(columns=PER_TERM_COLUMNS)
    changes = budget_changes(f) if changes is None else changes
    newest = _end(f, None)
    grid = pd.MultiIndex.from_product([terms["term"].unique(), groups], names=["term", "group_id"])
    out = pd.DataFrame(index=grid)
    w = f.workers
    ended = w["ended_at_block"].astype(float)
    for name, blocks in (
        ("hired", w["hired_at_block"].astype(float)),
        ("terminated", ended.where(w["status"] == "terminated")),
        ("left", ended.where(w["status"] == "left")),
    ):
        counted = pd.DataFrame({"term": _term_of(blocks, terms), "group_id": w["group_id"]})
        out[name] = counted.dropna().groupby(["term", "group_id"]).size()
    moved = changes.assign(term=_term_of(changes["block"], terms)).dropna(subset=["term"])
    sums = moved.groupby(["term", "group_id", "item"], observed=True)["delta"].sum()
    sums = sums.unstack(fill_value=0.0)
    for item in ("refill", "spending", "worker reward", "lead reward"):
        if item not in sums.columns:
            sums[item] = 0.0
    out["refilled"] = sums["refill"]
    out["spent"] = -(sums["spending"] + sums["worker reward"] + sums["lead reward"])
    # At each term's last block: headcount (hired by then minus ended by then) and budget.
    lasts = np.minimum(terms["end_block"].to_numpy(dtype=float) - 1, newest)
    book = ledger(changes)
    heads, budgets = [], []
    for g in groups:
        mine = w["group_id"] == g
        hired_at = np.sort(w.loc[mine, "hired_at_block"].to_numpy(dtype=float))
        ended_at = np.sort(ended[mine].dropna().to_numpy(dtype=float))
        count = np.searchsorted(hired_at, lasts, "right") - np.searchsorted(
            ended_at, lasts, "right"
        )
        blocks, balances = book.get(g, (np.array([]), np.array([])))
        at = np.searchsorted(blocks, lasts, "right") - 1
        budget = np.where(at >= 0, balances[np.clip(at, 0, None)] if len(balances) else 0.0, 0.0)
        keys = pd.MultiIndex.from_arrays([terms["term"], [g] * len(terms)])
        heads.append(pd.Series(count, index=keys))
        budgets.append(pd.Series(budget, index=keys))
    out["workers"] = pd.concat(heads).groupby(level=[0, 1]).last()
    out["budget_end"] = pd.concat(budgets).groupby(level=[0, 1]).last()
    out = out.reset_index()
    for name in ("workers", "hired", "terminated", "left"):
        out[name] = out[name].fillna(0).astype(int)
    out[["refilled", "spent"]] = out[["refilled", "spent"]].fillna(0.0) + 0.0
    out["term"] = out["term"].astype(int)
    out["group"] = out["group_id"].map(group_label)
    return out[PER_TERM_COLUMNS]


def term_tables(
    f: WGFrames, start: int, end: int | None, b: Basis | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The term report's two working-group tables for blocks ``start``..``end`` (inclusive;
    ``end`` None: to the newest data), one row per group; ``b``: :func:`basis` of ``f`` when
    already worked out (a report of many terms).

    Returns ``(workers, budgets)``:

    - ``workers``: group_id, group, headcount (in the role at ``end``), hired, fired
      (terminated), left;
    - ``budgets`` (JOY): group_id, group, budget_start (before ``start``), refilled (the
      council's net top-ups), spent (spending + worker rewards + lead rewards), spending
      (paid by the lead from the budget), worker_rewards, lead_rewards, budget_end, debt
      (missed rewards owed at ``end``). ``budget_start + refilled - spent == budget_end``.

    Both are empty (with these columns) when the data has no working groups.
    """
    s = group_summary(f, start, end) if b is None else summary_of(b, start, end)
    workers = s[["group_id", "group", "workers", "hired", "terminated", "left"]].rename(
        columns={"workers": "headcount", "terminated": "fired"}
    )
    budgets = s[
        ["group_id", "group", "budget_start", "refilled", "spent", "spending", "worker_rewards",
         "lead_rewards", "budget_end", "debt"]
    ]  # fmt: skip
    return workers.reset_index(drop=True), budgets.reset_index(drop=True)


# --- One group -------------------------------------------------------------------------------


def group_workers(
    f: WGFrames, group_id: str, history: pd.DataFrame | None = None, newest: int | None = None
) -> pd.DataFrame:
    """The workers of one group, the newest hires first: worker_id, handle, lead (ever its lead),
    current_lead, hired_at_block/_time, status, reward_per_block, reward_per_day, stake,
    missing_reward, ended_at_block/_time (JOY). ``newest``: the data's newest block, when
    known (``Basis.newest``)."""
    history = lead_history(f) if history is None else history
    w = f.workers[f.workers["group_id"] == group_id]
    leads = set(history.loc[history["group_id"] == group_id, "worker_id"])
    current = lead_at(history, _end(f, None) if newest is None else newest)
    out = pd.DataFrame(
        {
            "worker_id": w["id"],
            "handle": w["member_id"].map(_handles(f)),
            "lead": w["id"].isin(leads) | w["is_lead"].astype(bool),
            "current_lead": w["id"].isin(current["worker_id"]),
            "hired_at_block": w["hired_at_block"],
            "hired_at_time": w["hired_at_time"],
            "status": w["status"],
            "reward_per_block": w["reward_per_block_joy"],
            "reward_per_day": w["reward_per_block_joy"] * BLOCKS_PER_DAY,
            "stake": w["stake_joy"],
            # The query node leaves it unset until a reward is missed, and after it is paid.
            "missing_reward": w["missing_reward_joy"].fillna(0.0),
            "ended_at_block": w["ended_at_block"],
            "ended_at_time": w["ended_at_time"],
        }
    )
    out = out.sort_values(["hired_at_block", "worker_id"], ascending=[False, True])
    return out.reset_index(drop=True)


KIND_LABELS: Mapping[str, str] = {
    "opening_filled": "hired",
    "terminated_worker": "terminated",
    "terminated_leader": "lead terminated",
    "worker_exited": "left",
    "worker_started_leaving": "started leaving",
    "leader_set": "lead set",
    "leader_unset": "lead unset",
    "budget_set": "budget set",
    "budget_updated": "budget updated by the council",
    "budget_spending": "spending",
    "reward_paid": "reward paid",
    "stake_slashed": "stake slashed",
    "worker_reward_updated": "reward per block changed",
    "missed_reward_level": "missed reward level",
}


def group_events(f: WGFrames, group_id: str) -> pd.DataFrame:
    """One group's events in chain order: block, time, event (label), handle, amount (JOY),
    payment_type, rationale. A lead's termination, recorded twice by the query node, is
    listed once (as "lead terminated")."""
    ev = f.events[f.events["group_id"] == group_id]
    twins = ev[ev["kind"] == "terminated_leader"]["event_id"]
    ev = ev[~((ev["kind"] == "terminated_worker") & ev["event_id"].isin(twins))]
    ev = _ordered(ev)
    return pd.DataFrame(
        {
            "block": ev["block"],
            "time": ev["time"],
            "event": ev["kind"].map(KIND_LABELS).fillna(ev["kind"]),
            "handle": ev["member_id"].map(_handles(f)),
            "amount": ev["amount_joy"],
            "payment_type": ev["payment_type"].str.lower(),
            "rationale": ev["rationale"],
        }
    ).reset_index(drop=True)
