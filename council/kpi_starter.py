"""Build the starter KPI file (data/kpis.csv) from the council's real KPI material.

    python -m council.kpi_starter EARNINGS_JSON OKR_MARKDOWN [--out data/kpis.csv]

- EARNINGS_JSON: community-repo council/kpi/docs/kpi_earnings_per_term.json. Each KPI round
  gives the rewards available and the rewards paid per councillor; the file does not list
  the individual KPIs, so each round becomes one aggregate row, marked done.
- OKR_MARKDOWN: the DAO's OKR document (council/okr/2023_Q2.md). On mainnet, OKRs replaced
  KPIs; each key result becomes a row with the quarter's last day as deadline. The document
  states no progress, so status and progress are left blank ("not reported").
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pandas as pd

from council.uploads import KPIS, STARTER_FILES, to_csv_text

KEY_RESULT = re.compile(r"^- \*\*(KR-[\d.]+)\*\* \*\*(.+?)\*\*")
QUARTER_END = {"Q1": "03-31", "Q2": "06-30", "Q3": "09-30", "Q4": "12-31"}


def earnings_rows(earnings: list[dict]) -> list[dict[str, str]]:
    """One aggregate row per KPI round: rewards available and paid, in USD."""
    rows = []
    for kpi_round in sorted(earnings, key=lambda r: r["kpi"]):
        paid = sum(member["rewardUsd"] for member in kpi_round["councilMembers"])
        rows.append(
            {
                "Term": f"KPI round {kpi_round['kpi']}",
                "KPI": f"{kpi_round['kpi']}.all",
                "Title": f"All council KPIs of KPI round {kpi_round['kpi']} (as paid)",
                "Owner": "Council",
                "Reward": str(kpi_round["totalPossibleRewardsUsd"]),
                "Reward unit": "USD",
                "Status": "done",
                "Progress %": "100",
                "Reward earned": str(paid),
                "Notes": f"{len(kpi_round['councilMembers'])} councillors paid; "
                "individual KPIs not listed in kpi_earnings_per_term.json",
            }
        )
    return rows


def okr_rows(markdown: str, year: int, quarter: str) -> list[dict[str, str]]:
    """One row per key result of an OKR document."""
    rows = []
    for line in markdown.splitlines():
        match = KEY_RESULT.match(line.strip())
        if match:
            rows.append(
                {
                    "Term": f"{year} {quarter}",
                    "KPI": match.group(1),
                    "Title": match.group(2).strip(),
                    "Owner": "Council",
                    "Deadline": f"{year}-{QUARTER_END[quarter]}",
                    "Notes": "OKR key result; progress not reported in the OKR document",
                }
            )
    return rows


def build(earnings_path: Path, okr_path: Path) -> pd.DataFrame:
    """The starter table, in the KPI upload format."""
    year, quarter = re.search(r"(\d{4})_(Q\d)", okr_path.name).groups()
    rows = earnings_rows(json.loads(earnings_path.read_text(encoding="utf-8-sig")))
    rows += okr_rows(okr_path.read_text(encoding="utf-8"), int(year), quarter)
    return pd.DataFrame(rows, columns=KPIS.column_names, dtype=object).fillna("")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("earnings", type=Path)
    parser.add_argument("okr", type=Path)
    parser.add_argument("--out", type=Path, default=STARTER_FILES[KPIS.name])
    args = parser.parse_args(argv)
    frame = build(args.earnings, args.okr)
    args.out.write_text(to_csv_text(frame), encoding="utf-8")
    print(f"wrote {args.out}: {len(frame)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
