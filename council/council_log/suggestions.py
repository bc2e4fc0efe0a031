"""Council log entries suggested from the data, for the secretary to accept or dismiss.

Pure functions over the cache's frames and the KPI file. Each suggestion has a stable ``key``
(so it is offered once: an accepted or dismissed key is not suggested again) and the fields of
an entry. Suggested:

- an election failed: a finished round that elected nobody (the query node finishes it with
  the ruling council as its next council);
- a term's budget does not add up: the record's budget at start + refill - spent differs from
  the budget at end by at least one JOY;
- a KPI went overdue (``council.stats.kpis``: deadline passed, neither done nor failed).

- a working group's lead changed: a lead after the group's first, from the lead history of
  ``council.working_groups.stats`` when that package and the cache's working-group tables are
  there (:func:`lead_changes`; read defensively: without them nothing is suggested).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import pandas as pd

from council.council_log.entries import parse_links
from council.stats import kpis

COLUMNS = ["key", "date", "term", "title", "text", "tags", "links"]
HAPI_PER_JOY = Decimal(10) ** 10
BUDGET_LABELS = {
    "start": "Council budget at start",
    "spent": "Council budget spent",
    "refill": "Council budget refill",
    "end": "Council budget at end",
}


def _day(value: object, today: date) -> str:
    return today.isoformat() if value is None or pd.isna(value) else value.date().isoformat()


def _terms(councils: pd.DataFrame) -> dict[tuple[str, str], int]:
    """(network, council id) -> term number (the round that elected the council)."""
    known = councils.dropna(subset=["elected_in_cycle_id"])
    return {
        (n, c): int(t)
        for n, c, t in zip(known["network"], known["id"], known["elected_in_cycle_id"], strict=True)
    }


def failed_elections(rounds: pd.DataFrame, councils: pd.DataFrame, today: date) -> pd.DataFrame:
    """A suggestion per finished round that elected no new council."""
    finished = rounds[rounds["is_finished"].fillna(False).astype(bool)]
    failed = finished[
        finished["council_id"].notna() & (finished["next_council_id"] == finished["council_id"])
    ]
    terms = _terms(councils)
    out = []
    for row in failed.itertuples():
        term = terms.get((row.network, row.council_id))
        stays = f"term {term}'s council" if term is not None else "the ruling council"
        out.append(
            {
                "key": f"election-failed:{row.network}:{int(row.cycle_id)}",
                "date": _day(row.ended_at_time, today),
                "term": term,
                "title": f"Election round {int(row.cycle_id)} ({row.network}) elected no council",
                "text": (
                    f"Round {int(row.cycle_id)} ended at block {int(row.ended_at_block):,} "
                    f"without electing a council; {stays} stays in office and a new election "
                    "starts."
                    if pd.notna(row.ended_at_block)
                    else f"Round {int(row.cycle_id)} ended without electing a council."
                ),
                "tags": "election",
                "links": "",
            }
        )
    return pd.DataFrame(out, columns=COLUMNS)


def _joy(hapi: Decimal) -> str:
    return f"{hapi / HAPI_PER_JOY:,.0f}"


def budget_gaps(
    figures: pd.DataFrame, councils: pd.DataFrame, today: date, tolerance_joy: int = 1
) -> pd.DataFrame:
    """A suggestion per term whose recorded budget (HAPI) does not add up: start + refill -
    spent against the budget at end, off by ``tolerance_joy`` JOY or more."""
    wanted = figures[figures["label"].isin(BUDGET_LABELS.values())]
    terms = _terms(councils)
    ends = councils.set_index(["network", "id"])["ended_at_time"].to_dict()
    out = []
    for (network, council_id), group in wanted.groupby(["network", "council_id"], sort=False):
        values = dict(zip(group["label"], group["value"], strict=True))
        try:
            start, spent, refill, end = (
                Decimal(str(values[BUDGET_LABELS[k]]).strip())
                for k in ("start", "spent", "refill", "end")
            )
        except (KeyError, InvalidOperation):
            continue  # a figure is not recorded: nothing to check
        if not all(v.is_finite() for v in (start, spent, refill, end)):
            continue  # read as NaN: not recorded either
        expected = start + refill - spent
        gap = end - expected
        if abs(gap) < tolerance_joy * HAPI_PER_JOY:
            continue
        term = terms.get((network, council_id))
        name = f"Term {term}" if term is not None else f"Council {council_id}"
        more = "more" if gap > 0 else "less"
        out.append(
            {
                "key": f"budget:{network}:{council_id}",
                "date": _day(ends.get((network, council_id)), today),
                "term": term,
                "title": f"{name}'s budget does not add up ({network})",
                "text": (
                    f"Budget at start {_joy(start)} JOY + refill {_joy(refill)} JOY - spent "
                    f"{_joy(spent)} JOY = {_joy(expected)} JOY, but the budget at end is "
                    f"{_joy(end)} JOY: {_joy(abs(gap))} JOY {more} than that."
                ),
                "tags": "budget",
                "links": "",
            }
        )
    return pd.DataFrame(out, columns=COLUMNS)


def overdue_kpis(kpi_file: pd.DataFrame, today: date) -> pd.DataFrame:
    """A suggestion per overdue KPI of the secretary's KPI file."""
    if kpi_file.empty:
        return pd.DataFrame(columns=COLUMNS)
    items = kpis.kpi_items(kpi_file, today)
    overdue = items[items["overdue"]]
    out = []
    for row in overdue.itertuples():
        owner = f" (owner: {row.owner})" if isinstance(row.owner, str) and row.owner else ""
        out.append(
            {
                "key": f"kpi-overdue:{row.term}:{row.kpi}",
                "date": row.deadline.isoformat(),
                "term": None,
                "title": f"KPI {row.kpi} of {row.term} is overdue",
                "text": (
                    f"{row.title}{owner}: the deadline was {row.deadline.isoformat()}; its status: "
                    f"{row.status}."
                ),
                "tags": "Jsgenesis",
                "links": " ".join(parse_links(row.link if isinstance(row.link, str) else "")[0]),
            }
        )
    return pd.DataFrame(out, columns=COLUMNS)


def _term_at(councils: pd.DataFrame, network: str, block: float) -> int | None:
    """The term (round that elected it) of the council in office at ``block``."""
    mine = councils[councils["network"] == network].dropna(subset=["elected_at_block"])
    ended = mine["ended_at_block"].fillna(float("inf")).astype(float)
    now = mine[(mine["elected_at_block"].astype(float) <= block) & (block < ended)]
    term = now["elected_in_cycle_id"].dropna()
    return int(term.iloc[-1]) if len(term) else None


def lead_changes(
    history: pd.DataFrame, councils: pd.DataFrame, network: str, today: date
) -> pd.DataFrame:
    """A suggestion per new lead of a group that had a lead before.

    ``history``: one row per lead term with ``group_id``, ``worker_id``, ``handle``,
    ``from_block`` and ``from_time`` (``council.working_groups.stats.lead_history``), and
    optionally ``group_name`` (the council's name for the group).
    """
    needed = {"group_id", "worker_id", "handle", "from_block", "from_time"}
    if history.empty or not needed <= set(history.columns):
        return pd.DataFrame(columns=COLUMNS)
    ordered = history.sort_values(["group_id", "from_block"], kind="stable")
    out = []
    for group_id, leads in ordered.groupby("group_id", sort=False):
        group = leads["group_name"].iloc[0] if "group_name" in leads else group_id
        names = [h if isinstance(h, str) and h else "an unknown member" for h in leads["handle"]]
        rows = list(leads.itertuples())
        for row, name, previous in zip(rows[1:], names[1:], names, strict=False):
            block = float(row.from_block)
            when = row.from_time if isinstance(row.from_time, pd.Timestamp) else None
            out.append(
                {
                    "key": f"wg-lead:{network}:{group_id}:{row.worker_id}",
                    "date": _day(when, today),
                    "term": _term_at(councils, network, block),
                    "title": f"{group}: {name} is the new lead ({network})",
                    "text": f"{name} became the lead of {group} at block {int(block):,}, "
                    f"after {previous}.",
                    "tags": "working group",
                    "links": "",
                }
            )
    return pd.DataFrame(out, columns=COLUMNS)


def _lead_history(data, network: str) -> pd.DataFrame:
    """The network's lead history when the working-group code and tables are there."""
    try:
        from council.working_groups import stats as wg_stats

        history = wg_stats.lead_history(wg_stats.frames_of(data.for_network(network)))
        return history.assign(group_name=history["group_id"].map(wg_stats.group_label))
    except ImportError:  # the working-group package is not merged yet
        return pd.DataFrame()
    except (AttributeError, KeyError, ValueError, TypeError):
        # A cache without the working-group tables (or of another shape): no suggestion, and
        # the log page still opens.
        return pd.DataFrame()


def suggestions(
    rounds: pd.DataFrame,
    councils: pd.DataFrame,
    budget_figures: pd.DataFrame,
    kpi_file: pd.DataFrame,
    today: date,
    handled: set[str] = frozenset(),
    leads: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every suggestion not yet accepted or dismissed (``handled`` keys), newest date first.

    ``leads``: the :func:`lead_changes` suggestions, where there is a lead history.
    """
    found = pd.concat(
        [
            frame
            for frame in (
                failed_elections(rounds, councils, today),
                budget_gaps(budget_figures, councils, today),
                overdue_kpis(kpi_file, today),
                leads if leads is not None else pd.DataFrame(columns=COLUMNS),
            )
            if not frame.empty
        ]
        or [pd.DataFrame(columns=COLUMNS)],
        ignore_index=True,
    )
    found = found[~found["key"].isin(handled)]
    found["term"] = found["term"].astype("Int64")
    return found.sort_values(["date", "key"], ascending=[False, True]).reset_index(drop=True)


def from_data(data, kpi_file: pd.DataFrame, today: date, handled: set[str]) -> pd.DataFrame:
    """:func:`suggestions` from a loaded cache (``council.data.CouncilData``) and the KPI file."""
    leads = [
        lead_changes(_lead_history(data, network), data.councils, network, today)
        for network in data.networks
    ]
    return suggestions(
        data.rounds,
        data.councils,
        data.council_budget_figures,
        kpi_file,
        today,
        handled,
        pd.concat(leads, ignore_index=True) if leads else None,
    )
