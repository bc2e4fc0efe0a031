"""The as-of line's text: each network's newest block and time, each file's version."""

import pandas as pd

from council.as_of import as_of_text, files_of
from council.stats.overview import DataEnd
from council.uploads import Version

KPIS_V3 = Version("kpis", 3, "2026-11-30T09:00:00Z", "sec", "kpis.csv", 12, "x", "")


def test_networks_and_files() -> None:
    ends = {
        "mainnet": DataEnd(561601, pd.Timestamp("2023-02-10T10:00:06Z")),
        "sumer": DataEnd(4093199, pd.Timestamp("2022-01-21T00:00:00Z"), estimated=True),
        "giza": None,
    }
    files = [("kpis", KPIS_V3), ("spending_categories", None)]
    assert as_of_text(ends, files) == (
        "As of: mainnet #561,601 · 2023-02-10 10:00 UTC; sumer #4,093,199 · ≈2022-01-21 "
        "00:00 UTC; giza: no dated record · Files: KPIs v3 (2026-11-30), spending "
        "categories: starter file"
    )
    assert as_of_text({}, [("kpis", "version unreadable")]) == (
        "As of: no data cache yet · Files: KPIs: version unreadable"
    )


def test_files_per_page() -> None:
    assert files_of("") == ()  # the overview reads no uploaded file
    assert files_of("kpis") == ("kpis",)
    assert files_of("this_week") == ("kpis", "spending_categories")
