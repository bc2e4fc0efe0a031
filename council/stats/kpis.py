"""KPI progress per council term, from the secretary's KPI file. Pure pandas, no I/O.

The file's cells are text (as uploaded); this module types them, works out days left and
which items stand out (overdue, at risk), and summarises terms. Thresholds live in
:data:`AT_RISK`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

NOT_REPORTED = "not reported"


@dataclass(frozen=True)
class AtRisk:
    """An open KPI is at risk when its deadline is this close and its progress this low."""

    days_left: int = 7
    progress_below: float = 50.0


AT_RISK = AtRisk()
OPEN = {"not started", "in progress"}
# A KPI file's terms name their era: OKR quarters ("2023 Q2") are mainnet, where OKRs
# replaced the KPIs; "KPI round N" are the testnet KPI rounds, paid on the Antioch/Sumer chain.
KPI_TERM_NETWORKS = (
    (re.compile(r"^\d{4} Q[1-4]$"), "mainnet"),
    (re.compile(r"^KPI round "), "sumer"),
)


def _number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.replace("", None), errors="coerce").astype(float)


def kpi_items(frame: pd.DataFrame, today: date, at_risk: AtRisk = AT_RISK) -> pd.DataFrame:
    """Typed KPI rows with ``days_left`` and the ``overdue``, ``at_risk`` and ``unreported``
    flags.

    Overdue: open (not started or in progress) and the deadline has passed. At risk: open,
    deadline within ``at_risk.days_left`` days and progress below ``at_risk.progress_below``
    percent (unknown progress counts as low). Unreported: no status reported and the deadline
    has passed (the outcome is unknown, which is not the same as overdue).
    """
    items = pd.DataFrame(
        {
            "term": frame["Term"],
            "kpi": frame["KPI"],
            "title": frame["Title"],
            "owner": frame["Owner"],
            "deadline": pd.to_datetime(frame["Deadline"].replace("", None)).dt.date,
            "reward": _number(frame["Reward"]),
            "unit": frame["Reward unit"].str.upper().str.replace("TJOY", "tJOY"),
            "penalty": frame["Penalty"],
            "status": frame["Status"].str.lower().replace("", NOT_REPORTED),
            "progress": _number(frame["Progress %"]),
            "reward_earned": _number(frame["Reward earned"]),
            "link": frame.get("Link", ""),
            "notes": frame.get("Notes", ""),
        }
    )
    has_deadline = items["deadline"].notna()
    days = [(d - today).days if pd.notna(d) else None for d in items["deadline"]]
    items["days_left"] = pd.array(days, dtype="Int64")
    open_ = items["status"].isin(OPEN)
    passed = has_deadline & (items["days_left"] < 0).fillna(False)
    items["overdue"] = open_ & passed
    low = items["progress"].fillna(0) < at_risk.progress_below
    near = (items["days_left"] <= at_risk.days_left).fillna(False)
    items["at_risk"] = open_ & ~passed & has_deadline & near & low
    items["unreported"] = (items["status"] == NOT_REPORTED) & passed
    return items


def kpi_network(term: str) -> str | None:
    """The network a KPI file's term belongs to (``KPI_TERM_NETWORKS``); None when its name
    does not say."""
    for pattern, network in KPI_TERM_NETWORKS:
        if pattern.match(str(term)):
            return network
    return None


def items_of_network(items: pd.DataFrame, network: str | None) -> pd.DataFrame:
    """The KPI items of ``network``, and those whose term names no network (all: None)."""
    if network is None:
        return items
    networks = items["term"].map(kpi_network)
    return items[networks.isna() | (networks == network)]


def term_order(items: pd.DataFrame) -> list[str]:
    """Terms, most recent first: by latest deadline, then by order of appearance."""
    latest = items.groupby("term", sort=False)["deadline"].max()
    appearance = {term: i for i, term in enumerate(items["term"].drop_duplicates())}
    return sorted(
        latest.index,
        key=lambda t: (pd.notna(latest[t]), latest[t] or date.min, appearance[t]),
        reverse=True,
    )


def term_summary(items: pd.DataFrame) -> pd.DataFrame:
    """Per term and reward unit: KPIs, done, failed, completion rate, reward available/earned."""
    grouped = items.groupby(["term", "unit"], sort=False, dropna=False)
    summary = grouped.agg(
        kpis=("kpi", "size"),
        done=("status", lambda s: int((s == "done").sum())),
        failed=("status", lambda s: int((s == "failed").sum())),
        reported=("status", lambda s: int((s != NOT_REPORTED).sum())),
        reward_available=("reward", "sum"),
        reward_earned=("reward_earned", "sum"),
    ).reset_index()
    summary["completion_rate"] = summary["done"] / summary["reported"].where(
        summary["reported"] > 0
    )
    summary["earned_share"] = summary["reward_earned"] / summary["reward_available"].where(
        summary["reward_available"] > 0
    )
    order = {term: i for i, term in enumerate(term_order(items))}
    return summary.sort_values("term", key=lambda t: t.map(order)).reset_index(drop=True)


def status_post(items: pd.DataFrame, term: str, today: date) -> str:
    """Markdown for the forum: the term's KPI status, overdue and at-risk items first."""
    mine = items[items["term"] == term].copy()
    mine["_order"] = (~mine["overdue"]).astype(int) * 2 + (~mine["at_risk"]).astype(int)
    mine = mine.sort_values(["_order", "deadline", "kpi"], na_position="last")
    done = int((mine["status"] == "done").sum())
    lines = [
        f"## KPI status: {term} ({today:%Y-%m-%d})",
        "",
        f"{len(mine)} KPIs: {done} done, {int(mine['overdue'].sum())} overdue, "
        f"{int(mine['at_risk'].sum())} at risk.",
        "",
        "| KPI | Title | Owner | Deadline | Status | Progress | Reward |",
        "|---|---|---|---|---|---:|---:|",
    ]
    for row in mine.itertuples():
        flag = " ⚠ overdue" if row.overdue else (" ⚠ at risk" if row.at_risk else "")
        progress = "–" if pd.isna(row.progress) else f"{row.progress:.0f}%"
        reward = "–" if pd.isna(row.reward) else f"{row.reward:,.0f} {row.unit}"
        deadline = "–" if pd.isna(row.deadline) else f"{row.deadline:%Y-%m-%d}"
        lines.append(
            f"| {row.kpi} | {row.title} | {row.owner or '–'} | {deadline} | "
            f"{row.status}{flag} | {progress} | {reward} |"
        )
    penalties = mine[mine["penalty"].fillna("") != ""]
    if len(penalties):
        lines += ["", "**Penalty terms**", ""]
        lines += [f"- {row.kpi}: {row.penalty}" for row in penalties.itertuples()]
    return "\n".join(lines) + "\n"


def filter_items(
    items: pd.DataFrame, terms: list[str], owners: list[str], statuses: list[str]
) -> pd.DataFrame:
    """KPIs in the chosen terms, owners and statuses (an empty choice means all)."""
    keep = pd.Series(True, index=items.index)
    for column, chosen in (("term", terms), ("owner", owners), ("status", statuses)):
        if chosen:
            keep &= items[column].isin(chosen)
    return items[keep]


def chain_indicators(card: pd.DataFrame, rounds: pd.DataFrame) -> pd.DataFrame:
    """KPI-like figures the chain itself shows, per term.

    ``rationale_share``: share of the councillors' proposal votes given with a rationale;
    null for a term whose votes' rationale is not recorded (the scorecard's null
    ``with_rationale``: the testnet archive).
    ``candidates_per_seat``: candidates who stood per seat in the election of the term.
    ``card`` is the leaderboard scorecard; ``rounds`` the election page's round summary.
    """
    per_term = card.groupby("term").agg(
        councillors=("member_id", "nunique"),
        proposal_votes=("votes_cast", "sum"),
        with_rationale=("with_rationale", lambda s: s.sum(min_count=1)),
    )
    per_term["rationale_share"] = (
        pd.to_numeric(per_term["with_rationale"]).astype("float64")
        / per_term["proposal_votes"].where(per_term["proposal_votes"] > 0)
    ).astype("float64")
    field = rounds.set_index("cycle_id")["competitiveness"].rename("candidates_per_seat")
    table = per_term.join(field, how="left").reset_index()
    return table.sort_values("term", ascending=False).reset_index(drop=True)


def kpi_rewards_by_member(rewards: pd.DataFrame) -> pd.DataFrame:
    """Per councillor: KPI rounds rewarded, first and last of them, total reward in USD and JOY.

    A councillor is a member id; the handle shown is the one of their latest KPI round.
    ``rewards`` is the cache's ``kpi_rewards`` table (one row per councillor per KPI round,
    ``reward_joy`` already in JOY). Largest USD total first, then by handle.
    """
    columns = ["handle", "member_id", "kpi_rounds", "first_round", "last_round"]
    if rewards.empty:
        return pd.DataFrame(columns=[*columns, "reward_usd", "reward_joy"])
    # A member who changed handle is one councillor: group by id, show the latest handle.
    latest = rewards.sort_values("kpi_round").groupby("member_id")["handle"].last()
    totals = (
        rewards.groupby("member_id")
        .agg(
            kpi_rounds=("kpi_round", "nunique"),
            first_round=("kpi_round", "min"),
            last_round=("kpi_round", "max"),
            reward_usd=("reward_usd", lambda s: s.sum(min_count=1)),
            reward_joy=("reward_joy", lambda s: s.sum(min_count=1)),
        )
        .reset_index()
    )
    totals.insert(0, "handle", totals["member_id"].map(latest))
    return totals.sort_values(["reward_usd", "handle"], ascending=[False, True]).reset_index(
        drop=True
    )
