"""Failed election attempts on hand-made tables: attached to their rounds, reasons, delays,
and the election watch's concerns while an attempt fails.

Council c1 elected at block 100 rules rounds 1 (failed at 300: not enough candidates) and 2
(failed at 700: not enough revealed votes) and 3 (elected c2 at 1,000); c2 rules round 4.
Announcing of round 1 began at 150 (after idle).
"""

from __future__ import annotations

import pandas as pd

from council import watch
from council.stats import failed_elections as fe

FAILURES = pd.DataFrame(
    {
        "id": ["e2", "e1", "e9"],
        "kind": [fe.NOT_ELECTED, fe.NOT_ENOUGH_CANDIDATES, fe.NOT_ENOUGH_CANDIDATES],
        "block": [700, 300, 50],
        "time": pd.to_datetime(["2024-01-03", "2024-01-02", "2024-01-01"], utc=True),
    }
)
ROUNDS = pd.DataFrame(
    {
        "cycle_id": [1, 2, 3, 4],
        "council_id": ["c1", "c1", "c1", "c2"],
        "next_council_id": ["c1", "c1", "c2", None],
        "is_finished": [True, True, True, False],
        "seats": pd.array([3, 3, 3, 3], dtype="Int64"),
    }
)
COUNCILS = pd.DataFrame({"id": ["c1", "c2"], "elected_at_block": [100, 1000]})
CANDIDATES = pd.DataFrame(
    {
        "cycle_id": [1, 1, 1, 2, 2, 2, 2],
        "status": ["active", "active", "withdrawn", "failed", "failed", "failed", "withdrawn"],
        "vote_power_joy": [0.0, 0.0, 0.0, 10.0, 5.0, 0.0, 7.0],
    }
)
STAGES = pd.DataFrame({"stage": ["idle", "announcing"], "changed_at_block": [100, 150]})


def test_failures_attach_to_the_rounds_of_their_council() -> None:
    attached = fe.attach_to_rounds(FAILURES, ROUNDS, COUNCILS)
    assert attached["id"].tolist() == ["e9", "e1", "e2"]  # by block
    # e9 came before any council of the data: no council, no round.
    assert attached["council_id"].tolist() == [None, "c1", "c1"]
    assert attached["cycle_id"].tolist()[1:] == [1, 2]
    assert pd.isna(attached["cycle_id"].iloc[0])


def test_a_failure_never_lands_on_a_round_that_elected_a_council() -> None:
    three = pd.concat(
        [
            FAILURES,
            pd.DataFrame(
                {"id": ["e3"], "kind": [fe.NOT_ELECTED], "block": [900], "time": [pd.NaT]}
            ),
        ]
    )
    attached = fe.attach_to_rounds(three, ROUNDS, COUNCILS).set_index("id")
    assert pd.isna(attached.loc["e3", "cycle_id"])  # round 3 elected c2


def test_reasons_and_delays_hand_worked() -> None:
    attempts = fe.failed_attempts(FAILURES, ROUNDS, COUNCILS, CANDIDATES, STAGES)
    placed = attempts.dropna(subset=["cycle_id"]).set_index("cycle_id")
    # Round 1: two stood (one withdrew) for 3 seats; announcing began at 150: 150 blocks.
    assert placed.loc[1, "reason"] == "Not enough candidates: 2 stood, 3 needed"
    assert placed.loc[1, ["attempt_started_at_block", "delay_blocks"]].tolist() == [150, 150]
    assert placed.loc[1, "delay_days"] == 150 * 6 / 86_400
    # Round 2: of the three standing, two got revealed votes (the withdrawn 7 JOY does not
    # count); it began at round 1's failure, 300: 400 blocks.
    assert placed.loc[2, "reason"] == (
        "No new council elected (not enough revealed votes): 2 candidates got revealed votes "
        "for 3 seats"
    )
    assert placed.loc[2, ["with_votes", "attempt_started_at_block", "delay_blocks"]].tolist() == [
        2, 300, 400,
    ]  # fmt: skip
    assert pd.isna(placed.loc[2, "stood"])
    # Without stage updates, round 1's attempt starts with its council: 200 blocks.
    bare = fe.failed_attempts(FAILURES, ROUNDS, COUNCILS, CANDIDATES).set_index("cycle_id")
    assert bare.loc[1, "delay_blocks"] == 200


def test_no_failure_no_rows() -> None:
    assert fe.failed_attempts(FAILURES.iloc[0:0], ROUNDS, COUNCILS, CANDIDATES).empty


def test_unknown_counts_read_not_recorded() -> None:
    assert fe.reason_text(fe.NOT_ENOUGH_CANDIDATES, None, None, None, None) == (
        "Not enough candidates: not recorded stood, not recorded needed"
    )


def test_watch_raises_restarts_and_too_few_revealed() -> None:
    attempts = fe.failed_attempts(FAILURES, ROUNDS, COUNCILS, CANDIDATES, STAGES)
    announcing = watch.Stage("announcing", cycle_id=3, seats=3)
    restart = watch.failure_concerns(announcing, attempts, CANDIDATES)
    assert [c.code for c in restart] == ["restarted"]
    assert restart[0].message.startswith(
        "Round 3 is a restart: round 2 failed at block #700 (2 failed attempts in a row): no "
        "new council elected (not enough revealed votes)"
    )
    # 150 + 400 blocks of failed attempts: 0.04 days, "about 0 days".
    assert restart[0].message.endswith("about 0 days later.")
    revealing = watch.Stage("revealing", cycle_id=2, seats=3)
    concerns = watch.failure_concerns(revealing, attempts, CANDIDATES)
    assert [c.code for c in concerns] == ["restarted", "not_enough_revealed"]
    assert concerns[1].message.startswith("Only 2 candidates have revealed votes for 3 seats")
    assert watch.failure_concerns(watch.Stage("idle", cycle_id=4), attempts, CANDIDATES) == []
