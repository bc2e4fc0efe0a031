"""Parse one hand-written testnet council term report (markdown) into plain records.

The council secretary wrote one report per term from mid-2020 to January 2022. Five testnet
eras, three layouts:

- Constantinople rounds 8 and 9: a free list of proposals (``- Title (…/proposals/N)`` with
  ``Status:`` / ``Created by:`` / ``Participants:`` bullets) and the blocks in a
  ``Council #N blocks: A-B`` line; no member table.
- Constantinople rounds 17–19: a ``Council Round Overview`` and one ``#### Proposal N - Title``
  section per proposal; members as a ``@handle - account`` list.
- From Constantinople round 20/21 on (Alexandria, Babylon, Antioch, Sumer): a member table
  (``| Username | Member ID | Prop. Votes Cast | CM Own Stake | CM Voter Stake |``, with an
  account column instead of the member id in round 20/21 and a ``Backers`` column instead of
  votes cast in Babylon 8 and 9), council roles, mint and budget lines, and total or subtotal
  lines under the table.

Nothing here touches the cache: :func:`parse_report` returns a :class:`Report`, and every
part of the file it cannot read is named in ``Report.problems``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# Era (testnet) of a report: from its file name, folder or title (see :func:`detect_era`).
ERAS = ("constantinople", "alexandria", "babylon", "antioch", "sumer", "giza")
# One chain, one network: Babylon was an upgrade of the Alexandria chain (its blocks and round
# numbers continue Alexandria's), Sumer an upgrade of Antioch (the bundled snapshot's "sumer"),
# and Giza an upgrade of Sumer (its first term starts at block 4093200, where Sumer's last
# ended, and its terms go on from 40).
NETWORK_OF_ERA = {
    "constantinople": "constantinople",
    "alexandria": "alexandria",
    "babylon": "alexandria",
    "antioch": "sumer",
    "sumer": "sumer",
    "giza": "sumer",
}
# The rules that tell a report's testnet, in the order they are tried.
ERA_RULES = ("file name", "folder", "title", "2020 file name pattern")

# Report status text (lower case, searched in order) -> the cache's status vocabulary.
STATUS_RULES: tuple[tuple[str, str], ...] = (
    ("cancel", "cancelled"),
    ("execution failed", "execution failed"),
    ("executionfailed", "execution failed"),
    ("failed", "execution failed"),
    ("execution pending", "gracing"),
    ("pending execution", "gracing"),
    ("next council", "deciding"),
    ("carried", "deciding"),
    ("active", "deciding"),
    ("expired", "expired"),
    ("rejected", "rejected"),
    ("slashed", "slashed"),
    ("executed", "executed"),
    ("approve", "executed"),
)

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\ufeff]")


@dataclass
class ReportMember:
    """One councillor as the report lists them (None: not in this report)."""

    handle: str
    member_id: str | None = None
    account: str | None = None
    votes_cast: int | None = None
    backers: int | None = None
    own_stake: int | None = None
    voter_stake: int | None = None


@dataclass
class ReportProposal:
    """One proposal of the report's proposal breakdown."""

    id: int
    title: str
    type: str | None = None
    status_text: str | None = None
    status: str | None = None
    blocks_to_finalize: int | None = None
    amount: int | None = None
    creator: str | None = None
    participants: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What one term report says; ``problems`` names everything that could not be read."""

    path: Path
    era: str
    network: str
    file_number: int | None = None
    round_label: str | None = None
    round_number: int | None = None
    term: int | None = None
    kpi_round: str | None = None
    start_block: int | None = None
    end_block: int | None = None
    start_date: str | None = None
    end_date: str | None = None
    report_date: str | None = None
    members: list[ReportMember] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    roles: list[tuple[str, str]] = field(default_factory=list)
    figures: list[tuple[str, int, str]] = field(default_factory=list)
    proposals: list[ReportProposal] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    era_rule: str | None = None  # which rule of ERA_RULES told the testnet
    era_disagreements: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The file name, used in messages and as the rows' source."""
        return self.path.name


@dataclass(frozen=True)
class EraFinding:
    """A report's testnet, the rule that decided it, and what other rules said otherwise."""

    era: str | None
    rule: str | None
    disagreements: tuple[str, ...] = ()


def _era_in(text: str) -> str | None:
    lowered = text.lower()
    return next((era for era in ERAS if era in lowered), None)


def title_of(text: str) -> str | None:
    """The first markdown heading of a report (without the ``#``), else None."""
    match = re.search(r"^#+\s*(.+?)\s*$", text, re.MULTILINE)
    return match.group(1) if match else None


def detect_era(path: Path, title: str | None = None) -> EraFinding:
    """The testnet of a report from its file name, folders, title (``title``) or, for the
    2020 reports filed beside the era folders, the ``Council_Round`` file name pattern.

    The first rule of :data:`ERA_RULES` that names a testnet decides; a later rule naming
    another testnet is listed in ``disagreements`` (e.g. a title copied from an older report).
    """
    path = Path(path)
    folder = next((era for part in reversed(path.parts[:-1]) if (era := _era_in(part))), None)
    pattern = "constantinople" if re.search(r"council_round", path.name.lower()) else None
    found = {
        "file name": _era_in(path.name),
        "folder": folder,
        "title": _era_in(title or ""),
        "2020 file name pattern": pattern,
    }
    rule = next((r for r in ERA_RULES if found[r]), None)
    if rule is None:
        return EraFinding(None, None)
    era = found[rule]
    others = tuple(
        f"{other} says {found[other].capitalize()}"
        for other in ERA_RULES[: ERA_RULES.index("title") + 1]
        if found[other] and found[other] != era
    )
    return EraFinding(era, rule, others)


def era_of(path: Path, title: str | None = None) -> str | None:
    """The testnet era of a report (see :func:`detect_era`), else None."""
    return detect_era(path, title).era


def number(text: str) -> int | None:
    """The first whole number in ``text`` (thousands commas allowed), else None."""
    match = _NUMBER.search(text)
    if not match or "." in match.group():
        return None
    return int(match.group().replace(",", ""))


def map_status(text: str | None) -> str | None:
    """The cache status for a report's status text (None when blank or unknown)."""
    lowered = (text or "").strip().lower()
    if not lowered:
        return None
    for needle, status in STATUS_RULES:
        if needle in lowered:
            return status
    return None


def parse_report(path: Path, text: str | None = None) -> Report:
    """Parse the term report at ``path`` (or ``text``, its content)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig") if text is None else text
    text = _INVISIBLE.sub("", text).replace("\r\n", "\n")
    finding = detect_era(path, title_of(text))
    era = finding.era or "unknown"
    report = Report(
        path=path,
        era=era,
        network=NETWORK_OF_ERA.get(era, era),
        era_rule=finding.rule,
        era_disagreements=finding.disagreements,
    )
    if finding.era is None:
        report.problems.append(
            "cannot tell the testnet from the file name, folder or title; rows under 'unknown'"
        )
    file_number = re.search(r"(?:Council|Round)_?(\d+)", path.name)
    report.file_number = int(file_number.group(1)) if file_number else None
    report_date = re.search(r"(\d{2})[-_](\d{2})[-_](\d{4})", path.name)
    if report_date:
        day, month, year = (int(g) for g in report_date.groups())
        report.report_date = date(year, month, day).isoformat()
    lines = text.split("\n")
    _parse_overview(lines, report)
    _parse_member_table(lines, report)
    if not report.members:
        _parse_member_list(lines, report)
    _parse_roles(lines, report)
    _parse_figures(lines, report)
    _parse_proposals(lines, report)
    _check(report)
    return report


# ---------------------------------------------------------------------------------------------
# Sections


def _section(lines: list[str], heading: re.Pattern[str]) -> list[str]:
    """The lines after the first heading matching ``heading`` up to the next heading."""
    for start, line in enumerate(lines):
        if line.startswith("#") and heading.search(line):
            end = start + 1
            while end < len(lines) and not lines[end].startswith("#"):
                end += 1
            return lines[start + 1 : end]
    return []


_FIELD = re.compile(r"^[\s*-]*([A-Za-z][A-Za-z ./]*?)\s*:\s*(.*?)\s*$")


def _parse_overview(lines: list[str], report: Report) -> None:
    for line in lines[:40]:
        old = re.search(r"Council #(\d+) blocks:\s*([\d,]+)\s*-\s*([\d,]+)", line)
        if old:
            report.round_label = old.group(1)
            report.start_block, report.end_block = number(old.group(2)), number(old.group(3))
            continue
        match = _FIELD.match(line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2)
        if key in ("council election round", "council round"):
            report.round_label = value.lstrip("#").strip() or None
        elif key == "council term":
            report.term = number(value)
        elif key == "kpi round":
            report.kpi_round = value.strip() or None
        elif key == "start block":
            report.start_block = number(value)
        elif key == "end block":
            report.end_block = number(value)
        elif key == "date range":
            days = re.findall(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
            if len(days) == 2:  # month/day/year, as the report writes it
                report.start_date, report.end_date = (
                    date(int(y), int(m), int(d)).isoformat() for m, d, y in days
                )
        elif key == "start time/date":
            day = re.search(r"(\d{2})\.(\d{2})\.(\d{4})", value)
            if day:
                d, m, y = (int(g) for g in day.groups())
                report.start_date = date(y, m, d).isoformat()
    if report.round_label:
        # "20/21": the first election failed and the second elected this council.
        report.round_number = number(report.round_label.split("/")[-1])
    if report.start_block is None or report.end_block is None:
        report.problems.append("no start and end block in the overview")


_COLUMNS = {
    "username": "handle",
    "member id": "member_id",
    "key": "account",
    "prop. votes cast": "votes_cast",
    "backers": "backers",
    "cm own stake": "own_stake",
    "cm voter stake": "voter_stake",
}


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _parse_member_table(lines: list[str], report: Report) -> None:
    header_at = next(
        (i for i, line in enumerate(lines) if line.startswith("|") and "Username" in line), None
    )
    if header_at is None:
        return
    header = [_COLUMNS.get(cell.lower()) for cell in _cells(lines[header_at])]
    if header[0] != "handle" or "own_stake" not in header:
        report.problems.append(f"member table header not understood: {lines[header_at]!r}")
        return
    for line in lines[header_at + 2 :]:
        if not line.startswith("|"):
            break
        cells = _cells(line)
        if cells and cells[0].startswith("@"):
            _add_member_row(report, header, cells, line)
        else:
            _add_total_row(report, header, cells, line)


def _add_member_row(report: Report, header: list[str | None], cells: list[str], line: str) -> None:
    values = dict(zip(header, cells, strict=False))
    member = ReportMember(handle=values["handle"].lstrip("@").strip())
    member.member_id = (values.get("member_id") or "").strip() or None
    member.account = (values.get("account") or "").strip() or None
    for column in ("votes_cast", "backers", "own_stake", "voter_stake"):
        raw = (values.get(column) or "").strip()
        if raw:
            parsed = number(raw)
            if parsed is None:
                report.problems.append(f"member table: {column} {raw!r} is not a number: {line}")
            setattr(member, column, parsed)
    report.members.append(member)


def _add_total_row(report: Report, header: list[str | None], cells: list[str], line: str) -> None:
    label_at = next((i for i, c in enumerate(cells) if c), None)
    if label_at is None:
        return
    label = cells[label_at].rstrip(":").strip().lower()
    numbers = [(header[i] if i < len(header) else None, number(c)) for i, c in enumerate(cells)]
    numbers = [(col, n) for i, (col, n) in enumerate(numbers) if n is not None and i > label_at]
    if label == "total stake":
        for column, value in numbers:
            report.totals[f"total {column}"] = value
    elif label == "subtotal":
        for column, value in numbers:
            report.totals[f"subtotal {column}"] = value
    elif label == "total":
        if numbers:
            report.totals["total stake"] = numbers[0][1]
    else:
        report.problems.append(f"member table: row not understood: {line.strip()}")


def _parse_member_list(lines: list[str], report: Report) -> None:
    """The round 17–19 layout: ``@handle - account`` or ``* handle, account`` lines."""
    section = _section(lines, re.compile(r"1\.3 - Council members"))
    for line in section:
        match = re.match(r"^[\s*-]*@?([\w.-]+)\s*(?:-|,)\s*(5\w{40,})\s*$", line)
        if match:
            report.members.append(ReportMember(handle=match.group(1), account=match.group(2)))
    if not report.members:
        report.problems.append("no council member table or list (members not recorded)")


def _parse_roles(lines: list[str], report: Report) -> None:
    section = _section(lines, re.compile(r"Council Roles"))
    role = None
    for line in section:
        if not line.strip():
            continue
        handle = re.match(r"^\s+[*-]\s*@?([\w.-]+)", line)
        if handle and role:
            report.roles.append((role, handle.group(1)))
            continue
        title = re.match(r"^[*-]\s*(?:Council\s+)?(.+?)\s*$", line)
        if title:
            role = title.group(1).lower()


_FIGURE = re.compile(r"^[\s*-]*(Start minted|End minted|Total minted during council round|"
                     r"Minted from Spending proposals|Minted for CM payments|Total budget|"
                     r"Total used of budget|Total amount paid out by council)\s*:\s*(.*)$",
                     re.IGNORECASE)  # fmt: skip


def _parse_figures(lines: list[str], report: Report) -> None:
    for line in lines:
        match = _FIGURE.match(line)
        if not match:
            continue
        value = number(match.group(2))
        if value is not None:
            report.figures.append((match.group(1).strip().capitalize(), value, "tokens"))


# ---------------------------------------------------------------------------------------------
# Proposals

_NEW_HEADING = re.compile(r"^#{3,4}\s*Proposal\s+(\d+)\s*-\s*(.*?)\s*$")
_OLD_ITEM = re.compile(r"^\s*-\s*(.*?)\s*\(https?://\S*/proposals/(\d+)\)\s*$")
_OLD_ITEM_NO_LINK = re.compile(r"^\s{0,2}-\s+(\S.*)$")


def _parse_proposals(lines: list[str], report: Report) -> None:
    current: ReportProposal | None = None
    in_breakdown = False
    for line in lines:
        heading = _NEW_HEADING.match(line)
        if heading:
            current = ReportProposal(id=int(heading.group(1)), title=heading.group(2))
            report.proposals.append(current)
            continue
        if line.startswith("#"):
            in_breakdown = bool(re.search(r"Proposals Created", line))
            current = None
            continue
        if in_breakdown:
            item = _OLD_ITEM.match(line)
            if item:
                current = ReportProposal(id=int(item.group(2)), title=item.group(1))
                report.proposals.append(current)
                continue
            loose = _OLD_ITEM_NO_LINK.match(line)
            if loose and ":" not in loose.group(1):
                report.problems.append(f"proposal without a link (no id): {loose.group(1)!r}")
                current = None
                continue
        if current is not None:
            _proposal_field(current, line, report)


def _proposal_field(proposal: ReportProposal, line: str, report: Report) -> None:
    match = _FIELD.match(line)
    if not match:
        return
    key, value = match.group(1).lower(), match.group(2).strip()
    if key == "proposal type":
        proposal.type = value or None
    elif key == "status":
        proposal.status_text = value or None
        proposal.status = map_status(value)
        if value and proposal.status is None:
            report.problems.append(f"proposal {proposal.id}: status {value!r} not understood")
    elif key == "time to finalize":
        blocks = re.match(r"([\d,]+)\s*blocks", value)
        proposal.blocks_to_finalize = number(blocks.group(1)) if blocks else None
    elif key == "amount":
        proposal.amount = _amount(value)
    elif key in ("created by", "crated by"):
        proposal.creator = value.lstrip("@").strip().rstrip(".") or None
    elif key in ("participants", "voters"):
        proposal.participants = [h.rstrip(".") for h in re.findall(r"@([\w.-]+)", value)]


def _amount(value: str) -> int | None:
    """A token amount: ``2000000``, ``2,000,000`` or ``2.000M tokens``; else None."""
    plain = re.fullmatch(r"([\d,]+)(?:\s*tokens)?", value)
    if plain:
        return number(plain.group(1))
    millions = re.fullmatch(r"(\d+)(?:\.(\d{1,6}))?\s*M(?:\s*tokens)?", value)
    if millions:
        whole, fraction = millions.group(1), (millions.group(2) or "")
        return int(whole) * 10**6 + int(fraction.ljust(6, "0"))
    return None


def _check(report: Report) -> None:
    if not report.proposals:
        report.problems.append("no proposals found")
    for proposal in report.proposals:
        if proposal.status_text is None:
            report.problems.append(f"proposal {proposal.id}: no status")
