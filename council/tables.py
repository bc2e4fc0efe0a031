"""Display tables: statistics frames with people's column names, ready to show and export.

Pure pandas. The page shows exactly these frames and offers exactly them as CSV, by the rule
of ``council.format``: shares as percent numbers in ``… (%)`` columns, amounts rounded as
shown, whole account addresses (the table shortens them, the download does not).
"""

from __future__ import annotations

import json

import pandas as pd

from council.format import block_with_date, markdown_cell

CANDIDACY_LABELS = {
    "cycle_id": "Round",
    "ended": "Ended (block · date UTC)",
    "handle": "Candidate",
    "outcome": "Outcome",
    "stake_joy": "Own stake (JOY)",
    "votes_received": "Votes received",
    "backing_stake_joy": "Backing stake (JOY)",
    "vote_power_joy": "Vote power (JOY)",
    "rank": "Rank",
    "margin_joy": "Margin to last seat (JOY)",
}

ROUND_LABELS = {
    "cycle_id": "Round",
    "ended": "Ended (block · date UTC)",
    "status": "Status",
    "candidates": "Candidates",
    "withdrawn": "Withdrew",
    "seats": "Seats",
    "seats_filled": "Seats filled",
    "competitiveness": "Candidates per seat",
    "votes_cast": "Votes cast",
    "voters": "Voters",
    "unrevealed_votes": "Unrevealed votes",
    "total_candidate_stake_joy": "Candidate stake (JOY)",
    "total_backing_stake_joy": "Backing stake (JOY)",
    "winning_threshold_joy": "Winning threshold (JOY)",
    "re_elected": "Re-elected",
    "newcomers": "Newcomers",
}

VOTE_LABELS = {
    "cast_by": "Voter account",
    "stake_joy": "Stake (JOY)",
    "vote_power_joy": "Vote power (JOY)",
    "voted_for": "Voted for",
    "revealed": "Revealed",
}


def _ended(frame: pd.DataFrame) -> pd.Series:
    """Each row's end block with its date, formatted once per distinct end (candidacies of a
    round share it: 20,000 rows but 1,000 ends at 100x)."""
    columns = ["ended_at_block", "ended_at_time", "ended_at_time_estimated"]
    ends = frame[columns].drop_duplicates()
    texts = [
        block_with_date(block, when, bool(est))
        for block, when, est in zip(*(ends[c] for c in columns), strict=True)
    ]
    text = frame[columns].merge(ends.assign(text=texts), on=columns, how="left")["text"]
    return pd.Series(text.to_numpy(dtype=object), index=frame.index, dtype="object")


def _round_status(row: pd.Series) -> str:
    if not row["is_finished"]:
        return "running"
    if not row["losers_recorded"]:
        return "finished (winners only)"
    if row.get("seats_filled") == 0:  # a failed attempt: the election started over
        return "failed (started over)"
    return "finished"


def _labelled(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    frame = frame[list(labels)]
    if "member_id" in labels:
        # The archives name a councillor without a recorded member id "@handle": no id.
        ids = frame["member_id"]
        frame = frame.assign(member_id=ids.where(~ids.astype(str).str.startswith("@"), None))
    return frame.rename(columns=labels).reset_index(drop=True)


def candidacy_table(results: pd.DataFrame) -> pd.DataFrame:
    """The per-candidacy results as shown on the election page."""
    frame = results.copy()
    frame["ended"] = _ended(frame)
    for column in ("stake_joy", "backing_stake_joy", "vote_power_joy", "margin_joy"):
        frame[column] = frame[column].round(2)
    return _labelled(frame, CANDIDACY_LABELS)


def round_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The per-round summary as shown on the election page."""
    frame = summary.copy()
    frame["ended"] = _ended(frame)
    frame["status"] = frame.apply(_round_status, axis=1) if len(frame) else []
    frame["competitiveness"] = frame["competitiveness"].round(2)
    for column in ("total_candidate_stake_joy", "total_backing_stake_joy", "winning_threshold_joy"):
        frame[column] = frame[column].round(2)
    return _labelled(frame, ROUND_LABELS)


def vote_table(votes: pd.DataFrame) -> pd.DataFrame:
    """One round's votes as shown in the drill-down (whole accounts: the table shortens them)."""
    frame = votes.copy()
    frame["voted_for"] = frame["voted_for"].where(frame["revealed"], "(not revealed)")
    for column in ("stake_joy", "vote_power_joy"):
        frame[column] = frame[column].round(2)
    return _labelled(frame, VOTE_LABELS)


def candidate_notes(candidates: pd.DataFrame) -> list[dict[str, object]]:
    """Header and bullet points of each candidacy note, for the round drill-down."""
    notes = []
    for row in candidates.itertuples():
        bullets = json.loads(row.note_bullet_points) if row.note_bullet_points else []
        notes.append(
            {
                "candidate_id": row.id,
                # A note without a header reads as null, which pandas may hold as NaN.
                "header": row.note_header if isinstance(row.note_header, str) else "",
                "bullet_points": [b for b in bullets if b],
            }
        )
    return notes


def notes_markdown(notes: list[dict[str, object]]) -> str:
    """Candidates' notes (:func:`candidate_notes` with each note's ``handle``) as one markdown
    list: ``**handle**: header`` per candidate, their bullet points nested beneath. One
    element for the page to draw, not one per candidate."""
    lines = []
    for note in notes:
        header = f": {note['header']}" if note["header"] else ""
        lines.append(f"- **{note['handle']}**{header}")
        lines += [f"    - {point}" for point in note["bullet_points"]]
    return "\n".join(lines)


COUNCIL_LABELS = {
    "handle": "Councillor",
    "member_id": "Member ID",
    "stake_joy": "Own stake (JOY)",
    "vote_power_joy": "Vote power (JOY)",
}


def council_table(elected: pd.DataFrame) -> pd.DataFrame:
    """A council's seats as shown on the overview page."""
    frame = elected.copy()
    for column in ("stake_joy", "vote_power_joy"):
        frame[column] = frame[column].round(2)
    return _labelled(frame, COUNCIL_LABELS)


SPENDING_LABELS = {
    "term": "Term / testnet",
    "proposal_id": "Proposal",
    "title": "Title",
    "category": "Category",
    "amount_joy": "Amount (JOY)",
    "status": "Status",
    "decided": "Decided (block · date UTC)",
    "source": "Source",
    "link": "Link",
}

TOTAL_LABELS = {
    "term": "Term / testnet",
    "category": "Category",
    "proposals": "Proposals",
    "amount_joy": "Amount (JOY)",
    "share": "Share (%)",
}


UNPAID_MINTED_LABELS = {
    "network": "Testnet",
    "proposal_id": "Proposal #",
    "title": "Title",
    "status": "Status",
    "amount_minted": "Amount minted (JOY)",
    "category": "Category",
}


def unpaid_minted_table(flagged: pd.DataFrame) -> pd.DataFrame:
    """Rows of the secretary's file with an amount minted under a status that did not pay,
    as shown to the secretary (``spending.unpaid_minted``), with the file's own names."""
    return _labelled(flagged, UNPAID_MINTED_LABELS)


def spending_table(items: pd.DataFrame) -> pd.DataFrame:
    """The proposals behind the spending totals, as shown on the spending page."""
    frame = items.copy()
    frame["decided"] = [
        block_with_date(b, t)
        for b, t in zip(frame["decided_at_block"], frame["decided_at_time"], strict=True)
    ]
    frame["amount_joy"] = frame["amount_joy"].round(2)
    frame["category"] = frame["category"].where(~frame["uncategorised"], "⚠ Uncategorised")
    return _labelled(frame, SPENDING_LABELS)


def totals_table(totals: pd.DataFrame) -> pd.DataFrame:
    """Totals per group as shown (amounts rounded to whole JOY)."""
    frame = totals.copy()
    frame["amount_joy"] = frame["amount_joy"].round(0)
    if "share" in frame.columns:
        frame["share"] = _percent(frame["share"])
    labels = {k: v for k, v in TOTAL_LABELS.items() if k in frame.columns}
    return _labelled(frame, labels)


LEADERBOARD_LABELS = {
    "rank": "Rank",
    "handle": "Member",
    "candidacies": "Candidacies",
    "times_elected": "Times elected",
    "win_rate": "Win share (%)",
    "terms_served": "Terms served",
    "longest_streak": "Longest streak",
    "first_term": "First term",
    "last_term": "Last term",
    "own_stake_joy": "Own stake (JOY)",
    "backing_stake_joy": "Backing received (JOY)",
    "votes_received": "Votes received",
    "proposal_votes": "Proposal votes",
    "participation": "Participation share (%)",
    "votes_with_rationale": "Votes with rationale",
    "rewards_joy": "Rewards (JOY)",
}

SCORECARD_LABELS = {
    "term": "Term",
    "handle": "Councillor",
    "member_id": "Member ID",
    "votes_cast": "Proposal votes cast",
    "participation": "Participation share (%)",
    "approve_votes": "Approve",
    "reject_votes": "Reject",
    "abstain_votes": "Abstain",
    "slash_votes": "Slash",
    "rationale_rate": "Rationale share (%)",
    "stake_joy": "Stake (JOY)",
    "accumulated_reward_joy": "Reward (JOY)",
}


def _percent(shares: pd.Series) -> pd.Series:
    """Shares (0-1) as percent numbers with two decimals, as every table shows them."""
    return (pd.to_numeric(shares).astype("float64") * 100).round(2)


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if column.endswith("_joy"):
            frame[column] = frame[column].round(2)
        elif column in ("win_rate", "participation", "rationale_rate"):
            frame[column] = _percent(frame[column])
    return frame


def leaderboard_table(totals: pd.DataFrame) -> pd.DataFrame:
    """The all-time leaderboard as shown."""
    return _labelled(_rounded(totals), LEADERBOARD_LABELS)


def scorecard_table(card: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """A term scorecard as shown, with councillors' handles, by term then member id (as a
    number: 2 before 1048)."""
    named = card.merge(
        members.rename(columns={"id": "member_id"})[["network", "member_id", "handle"]],
        on=["network", "member_id"],
        how="left",
    )
    named = named.sort_values(
        ["term", "member_id"],
        key=lambda c: pd.to_numeric(c, errors="coerce") if c.name == "member_id" else c,
        kind="stable",
    )
    return _labelled(_rounded(named), SCORECARD_LABELS)


def markdown(frame: pd.DataFrame) -> str:
    """A display table as a markdown table, cells formatted as the table shows them
    (thousands separators, shares as ``91.67 %``)."""
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = [
        "| "
        + " | ".join(markdown_cell(c, v) for c, v in zip(frame.columns, row, strict=True))
        + " |"
        for row in frame.itertuples(False)
    ]
    return "\n".join([header, rule, *body]) + "\n"


KPI_LABELS = {
    "term": "Term",
    "kpi": "KPI",
    "title": "Title",
    "owner": "Owner",
    "deadline": "Deadline",
    "days_left": "Days left",
    "status": "Status",
    "progress": "Progress %",
    "reward": "Reward",
    "unit": "Unit",
    "reward_earned": "Reward earned",
    "penalty": "Penalty terms",
}

KPI_SUMMARY_LABELS = {
    "term": "Term",
    "unit": "Unit",
    "kpis": "KPIs",
    "done": "Done",
    "failed": "Failed",
    "completion_rate": "Completion share (%)",
    "reward_available": "Reward available",
    "reward_earned": "Reward earned",
    "earned_share": "Earned share (%)",
}

CHAIN_INDICATOR_LABELS = {
    "term": "Term",
    "councillors": "Councillors",
    "proposal_votes": "Proposal votes",
    "rationale_share": "Votes with rationale share (%)",
    "candidates_per_seat": "Candidates per seat",
}


def kpi_table(items: pd.DataFrame) -> pd.DataFrame:
    """KPIs as shown, overdue and at-risk ones marked in the status."""
    frame = items.copy()
    flags = zip(frame["status"], frame["overdue"], frame["at_risk"], strict=True)
    frame["status"] = [
        f"{s} ⚠ overdue" if o else (f"{s} ⚠ at risk" if r else s) for s, o, r in flags
    ]
    return _labelled(frame, KPI_LABELS)


def kpi_summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The per-term KPI summary as shown."""
    frame = summary.copy()
    for column in ("completion_rate", "earned_share"):
        frame[column] = _percent(frame[column])
    return _labelled(frame, KPI_SUMMARY_LABELS)


KPI_REWARD_LABELS = {
    "handle": "Councillor",
    "member_id": "Member ID",
    "kpi_rounds": "KPI rounds rewarded",
    "first_round": "First KPI round",
    "last_round": "Last KPI round",
    "reward_usd": "Reward (USD)",
    "reward_joy": "Reward (tJOY)",
}


def kpi_reward_table(totals: pd.DataFrame) -> pd.DataFrame:
    """KPI rewards per councillor as shown (testnet rewards were paid in tJOY)."""
    return _labelled(totals.round({"reward_usd": 2, "reward_joy": 0}), KPI_REWARD_LABELS)


def chain_indicator_table(indicators: pd.DataFrame) -> pd.DataFrame:
    """Chain-derived KPI figures as shown."""
    frame = indicators.round({"candidates_per_seat": 2})
    frame["rationale_share"] = _percent(frame["rationale_share"])
    return _labelled(frame, CHAIN_INDICATOR_LABELS)


def vote_share_table(shares: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """The archive's vote shares per elected seat (the mainnet term reports), newest round
    first: round, councillor and the share of the election's vote stake as reported, in
    percent like the app's other shares."""
    handles = dict(zip(members["id"], members["handle"], strict=True))
    frame = shares.sort_values(["cycle_id", "share_pct"], ascending=[False, False])
    return pd.DataFrame(
        {
            "Round": frame["cycle_id"].astype(int),
            "Councillor": [handles.get(m) or str(m) for m in frame["member_id"]],
            "Vote share (%)": frame["share_pct"].astype(float).round(2),
            "Source": frame["source"],
        }
    ).reset_index(drop=True)


# --- Failed election attempts (council/stats/failed_elections.py) ------------------------------

FAILED_ATTEMPT_LABELS = {
    "cycle_id": "Round",
    "failed": "Failed (block · date UTC)",
    "reason": "Reason",
    "started": "Attempt began (block)",
    "delay_blocks": "Delay (blocks)",
    "delay_days": "Delay (days)",
}


def failed_attempts_table(attempts: pd.DataFrame) -> pd.DataFrame:
    """Failed election attempts as the election page shows them, newest first: the round, when
    it failed, why, and how long the restart delayed the new council (the failed attempt's
    length, which the election runs again)."""
    frame = attempts.sort_values("block", ascending=False).copy()
    frame["failed"] = [
        block_with_date(b, t) for b, t in zip(frame["block"], frame["time"], strict=True)
    ]
    frame["started"] = [block_with_date(b, None) for b in frame["attempt_started_at_block"]]
    frame["delay_days"] = frame["delay_days"].round(1)
    return _labelled(frame, FAILED_ATTEMPT_LABELS)
