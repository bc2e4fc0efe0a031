"""Parse the archive's non-report sources: the Alexandria leaderboard, KPI earnings and the
tokenomics reports.

- ``Alexandria-Council-Leaderboard.md``: the secretary's overview table (one column per
  Alexandria council 1–6: election figures, KPI and councillor payments, issuance, mints,
  validators) and the "Council Member Leaderboard" (per member and term: proposal votes,
  vote %, KPI bonus, USD payment).
- ``kpi_earnings_per_term.json``: KPI rewards per councillor for KPI rounds 1–18 of the
  Antioch/Sumer chain.
- ``*_Tokenomics_Report.md`` (``archives/council/tokenomics/<testnet>/``): one per council
  session (term), with its block range and, in "3.1 Elections", the total applicants,
  applicant stake and votes of the election that elected the session's council.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from council.archive.parse import NETWORK_OF_ERA, detect_era, number, title_of


@dataclass
class Leaderboard:
    """The hand-made Alexandria leaderboard, as written."""

    path: Path
    terms: list[int] = field(default_factory=list)
    # Overview rows: label -> one cell per term (text as written), with the section heading.
    overview: dict[str, list[str]] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    # Member rows: handle -> {"votes": [...], "Vote %": [...], "KPI Bonus": [...], ...}
    members: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    member_totals: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def block_range(self, term: int) -> tuple[int, int] | None:
        """The (start, end) block of a term from the ``Block range`` row."""
        cell = self.cell("Block range", term)
        found = re.findall(r"#?([\d,]+)", cell or "")
        return (number(found[0]), number(found[1])) if len(found) == 2 else None

    def start_date(self, term: int) -> str | None:
        """The term's start date (ISO) from the ``Start date`` row (day/month/year)."""
        cell = self.cell("Start date", term) or ""
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", cell.strip())
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day).isoformat()

    def cell(self, label: str, term: int) -> str | None:
        """One overview cell, or None."""
        row = self.overview.get(label)
        if row is None or term not in self.terms:
            return None
        return row[self.terms.index(term)]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse_leaderboard(path: Path, text: str | None = None) -> Leaderboard:
    """Parse the Alexandria leaderboard markdown."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig") if text is None else text
    board = Leaderboard(path=path)
    section = ""
    handle: str | None = None
    in_members = False
    for line in text.splitlines():
        if line.startswith("## Council Member Leaderboard"):
            in_members = True
            continue
        if not line.startswith("|") or set(line.replace("|", "").strip()) <= {"-", ":"}:
            continue
        cells = _cells(line)
        label = re.sub(r"\s+", " ", cells[0].replace("*", "")).strip()
        if not in_members:
            if label.startswith("Council #") or label == "Council #":
                board.terms = [number(c) for c in cells[1:] if number(c) is not None]
                continue
            if not label:
                continue
            values = cells[1 : 1 + len(board.terms)]
            if not any(values):
                section = label
                continue
            board.overview[label] = values
            board.sections[label] = section
            continue
        if label.startswith("## Council Member"):
            continue
        if label.startswith("@"):
            handle = label.lstrip("@")
            board.members[handle] = {"votes": cells[1 : 1 + len(board.terms)]}
            continue
        if handle and label:
            board.members[handle][label] = cells[1 : 1 + len(board.terms)]
            total = cells[-1] if len(cells) > len(board.terms) + 1 else ""
            board.member_totals.setdefault(handle, {})[label] = total
    if not board.terms:
        board.problems.append("no 'Council #' header row in the overview table")
    if not board.members:
        board.problems.append("no council member leaderboard rows")
    return board


@dataclass(frozen=True)
class KpiReward:
    """One councillor's reward for one KPI round."""

    kpi_round: int
    member_id: str
    handle: str
    reward_usd: str | None
    reward_tjoy: int | None


def parse_kpi_earnings(path: Path) -> tuple[list[KpiReward], list[str]]:
    """The rewards in ``kpi_earnings_per_term.json`` and the entries that could not be read."""
    data: Any = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    rewards: list[KpiReward] = []
    problems: list[str] = []
    if not isinstance(data, list):
        return [], ["expected a list of KPI rounds"]
    for entry in data:
        kpi = entry.get("kpi") if isinstance(entry, dict) else None
        if not isinstance(kpi, int):
            problems.append(f"entry without a KPI round number: {str(entry)[:60]}")
            continue
        for member in entry.get("councilMembers") or []:
            try:
                rewards.append(
                    KpiReward(
                        kpi_round=kpi,
                        member_id=str(member["id"]),
                        handle=str(member["handle"]),
                        reward_usd=None
                        if member.get("rewardUsd") is None
                        else str(member["rewardUsd"]),
                        reward_tjoy=None
                        if member.get("rewardTjoy") is None
                        else int(member["rewardTjoy"]),
                    )
                )
            except (KeyError, TypeError, ValueError):
                problems.append(f"KPI {kpi}: member entry not understood: {member}")
    return rewards, problems


TOKENOMICS_ELECTION_ROWS = {
    "total applicants": "applicants",
    "total applicant stake": "applicant_stake",
    "total votes": "votes",
}


@dataclass
class TokenomicsReport:
    """A tokenomics report's session (term), blocks and election totals (None: not given)."""

    path: Path
    era: str
    network: str
    era_rule: str | None
    session: int | None = None
    start_block: int | None = None
    end_block: int | None = None
    applicants: int | None = None
    applicant_stake: int | None = None  # whole tJOY
    votes: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The file name, used in messages and as the rows' source."""
        return self.path.name


def parse_tokenomics(path: Path, text: str | None = None) -> TokenomicsReport:
    """Parse a tokenomics report: the session number (the file name's ``RoundN``, else the
    ``Council session #`` line), the block range and the "3.1 Elections" totals."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig") if text is None else text
    finding = detect_era(path, title_of(text))
    era = finding.era or "unknown"
    report = TokenomicsReport(path, era, NETWORK_OF_ERA.get(era, era), finding.rule)
    if finding.era is None:
        report.problems.append("cannot tell the testnet from the file name, folder or title")
    named = re.search(r"Round_?(\d+)", path.name)
    session = re.search(r"Council session #:\s*(-?\d+)", text)
    report.session = int((named or session).group(1)) if (named or session) else None
    blocks = re.search(r"Block range:\s*([\d,]+)\s*-\s*([\d,]+)", text)
    if blocks:
        report.start_block, report.end_block = number(blocks.group(1)), number(blocks.group(2))
    in_elections = False
    for line in text.splitlines():
        if line.startswith("#"):
            in_elections = "elections" in line.lower()
            continue
        if not in_elections or not line.startswith("|"):
            continue
        cells = _cells(line)
        column = TOKENOMICS_ELECTION_ROWS.get(cells[0].lower())
        if column is None or len(cells) < 2:
            continue
        value = number(cells[1])
        if value is None:
            report.problems.append(f"3.1 Elections: {cells[0]} {cells[1]!r} is not a number")
        setattr(report, column, value)
    if report.session is None:
        report.problems.append("no session number in the file name or the report")
    if report.applicants is None and report.votes is None:
        report.problems.append("no 3.1 Elections table")
    return report
