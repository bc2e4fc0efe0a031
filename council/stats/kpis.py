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

from council import csv_values

NOT_REPORTED = "not reported"


@dataclass(frozen=True)
class AtRisk:
    """An open KPI is at risk when its deadline is this close and its progress this low."""

    days_left: int = 7
    progress_below: float = 50.0


AT_RISK = AtRisk()
OPEN = {"not started", "in progress"}
CLOSED = {"done", "failed"}
# Mainnet's first block; a KPI term with a deadline from then on is a mainnet term.
MAINNET_LAUNCH = date(2022, 12, 9)
MAINNET = "mainnet"
KPI_ROUND = re.compile(r"^KPI round (\d+)$")


def kpi_items(frame: pd.DataFrame, today: date, at_risk: AtRisk = AT_RISK) -> pd.DataFrame:
    """Typed KPI rows with ``days_left`` and the ``overdue``, ``at_risk`` and ``unreported``
    flags.

    Overdue: not closed (neither done nor failed) and the deadline has passed, as the
    negative days left show. At risk: open (not started or in progress), deadline within
    ``at_risk.days_left`` days and progress below ``at_risk.progress_below`` percent (unknown
    progress counts as low). Unreported: overdue with no status reported (the outcome is
    unknown; the page says how many of the overdue ones these are).
    """
    items = pd.DataFrame(
        {
            "term": frame["Term"],
            "kpi": frame["KPI"],
            "title": frame["Title"],
            "owner": frame["Owner"],
            "deadline": csv_values.dates(frame["Deadline"]),
            "reward": csv_values.numbers(frame["Reward"]),
            "unit": frame["Reward unit"].str.upper().str.replace("TJOY", "tJOY"),
            "penalty": frame["Penalty"],
            "status": csv_values.choice_keys(frame["Status"]).replace("", NOT_REPORTED),
            "progress": csv_values.numbers(frame["Progress %"]),
            "reward_earned": csv_values.numbers(frame["Reward earned"]),
            "link": frame.get("Link", ""),
            "notes": frame.get("Notes", ""),
        }
    )
    has_deadline = items["deadline"].notna()
    days = [(d - today).days if pd.notna(d) else None for d in items["deadline"]]
    items["days_left"] = pd.array(days, dtype="Int64")
    open_ = items["status"].isin(OPEN)
    passed = has_deadline & (items["days_left"] < 0).fillna(False)
    items["overdue"] = ~items["status"].isin(CLOSED) & passed
    low = items["progress"].fillna(0) < at_risk.progress_below
    near = (items["days_left"] <= at_risk.days_left).fillna(False)
    items["at_risk"] = open_ & ~passed & has_deadline & near & low
    items["unreported"] = (items["status"] == NOT_REPORTED) & passed
    return items


def term_order(items: pd.DataFrame) -> list[str]:
    """Terms, most recent first: by latest deadline, then by order of appearance."""
    latest = items.groupby("term", sort=False)["deadline"].max()
    appearance = {term: i for i, term in enumerate(items["term"].drop_duplicates())}
    return sorted(
        latest.index,
        key=lambda t: (pd.notna(latest[t]), latest[t] or date.min, appearance[t]),
        reverse=True,
    )


def term_networks(items: pd.DataFrame, kpi_rewards: pd.DataFrame) -> dict[str, str | None]:
    """The network of each KPI term: a ``KPI round N`` term is the network whose councillors
    were paid for KPI round ``N`` (``kpi_rewards``, the cache's table); a term with a deadline
    on or after :data:`MAINNET_LAUNCH` is mainnet's; any other term's network is unknown
    (None)."""
    paid = pd.Series(dtype=object)
    if not kpi_rewards.empty:
        paid = kpi_rewards.groupby("kpi_round")["network"].agg(lambda n: n.mode().iloc[0])
    latest = items.groupby("term", sort=False)["deadline"].max()
    found: dict[str, str | None] = {}
    for term, deadline in latest.items():
        match = KPI_ROUND.match(str(term))
        if match and int(match.group(1)) in paid.index:
            found[term] = paid[int(match.group(1))]
        elif pd.notna(deadline) and deadline >= MAINNET_LAUNCH:
            found[term] = MAINNET
        else:
            found[term] = None
    return found


def items_of_network(
    items: pd.DataFrame, network: str | None, kpi_rewards: pd.DataFrame
) -> pd.DataFrame:
    """The KPI items of ``network`` (:func:`term_networks`) and those of terms whose network
    is unknown; all items when ``network`` is None."""
    if network is None:
        return items
    networks = items["term"].map(term_networks(items, kpi_rewards))
    return items[networks.isna() | (networks == network)]


def current_term(items: pd.DataFrame, network: str | None, kpi_rewards: pd.DataFrame) -> str | None:
    """The most recent KPI term of ``network`` (:func:`term_order`, :func:`term_networks`);
    None when no term is known to be that network's: a term of another network or era is
    never a network's current term."""
    networks = term_networks(items, kpi_rewards)
    return next((t for t in term_order(items) if networks.get(t) == network), None)


def term_is_over(items: pd.DataFrame, term: str, today: date) -> bool:
    """True when every deadline of ``term`` has passed (or it has none): the latest term of a
    network, not one under way."""
    deadlines = items.loc[items["term"] == term, "deadline"].dropna()
    return deadlines.empty or max(deadlines) < today


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
