"""The council's budget per term: start, refills, spending by item, end, and the difference.

Pure pandas, no I/O. A term is an elected council from the block that elected it until (not
including) the block that ended it (``leaderboard.terms``); an event counts for the term in
office at its block. Amounts are JOY (``council.data`` converts).

Where the money comes from and goes, per term:

* refills: the periodic budget refills (``budget_refills``);
* funded: members' contributions to the budget (``council_budget_funded``);
* decreased: amounts a proposal took out of it (``council_budget_decreased``);
* council rewards: what the councillors were paid (``reward_payments.paid``);
* working-group top-ups: executed UpdateWorkingGroupBudget proposals (``wg_budget_proposals``,
  signed: a return from a group to the council is negative), at their execution block;
* funding proposals: executed funding requests, at their execution block;
* creator payouts: paid from the council budget on mainnet, but not in the data: never recorded.

The query node holds no budget balance: start and end come from the term report the mainnet
record holds (``council_budget_figures``), else they are not recorded. Where the chain's
events are not recorded either, refills and spending are the report's own figures.

``expected end = start + refills + funded - decreased - spending``; the difference is the
recorded end minus that. Every figure that is not in the data is NaN ("not recorded"), never 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from council.data import CouncilData
from council.stats import leaderboard

# Labels of the mainnet record's budget figures (council.archive.mainnet_read.BUDGET_LABELS).
START_LABEL = "Council budget at start"
SPENT_LABEL = "Council budget spent"
REFILL_LABEL = "Council budget refill"
END_LABEL = "Council budget at end"
FUNDING_TYPES = {"FundingRequest", "Spending"}
WG_BUDGET_TYPE = "UpdateWorkingGroupBudget"

# Items of the chain's record, each recorded or not for a network (:func:`recorded_items`).
ITEMS = ("refills", "funded", "decreased", "council_rewards", "wg_top_ups", "funding_proposals")
# The list each item is fetched with (a cache refreshed before a list existed lacks it).
ITEM_LISTS = {
    "refills": "budgetRefillEvents",
    "funded": "councilBudgetFundedEvents",
    "decreased": "councilBudgetDecreasedEvents",
    "council_rewards": "rewardPaymentEvents",
    "wg_top_ups": "proposals",
    "funding_proposals": "proposals",
}

COLUMNS = [
    "network",
    "term",
    "council_id",
    "start_block",
    "start_time",
    "end_block",
    "end_time",
    "budget_start_joy",
    "refills_joy",
    "funded_joy",
    "decreased_joy",
    "council_rewards_joy",
    "rewards_unpaid_joy",
    "wg_top_ups_joy",
    "funding_proposals_joy",
    "creator_payouts_joy",
    "spending_joy",
    "budget_end_joy",
    "expected_end_joy",
    "difference_joy",
    "source",
    "not_recorded",
]


@dataclass(frozen=True)
class BudgetSources:
    """One network's frames the budget table is built from (``council.data`` shapes).

    ``recorded``: the items of :data:`ITEMS` the data records for the network
    (:func:`recorded_items`); an item not in it is "not recorded" in every term.
    """

    councils: pd.DataFrame
    budget_refills: pd.DataFrame
    council_budget_funded: pd.DataFrame
    council_budget_decreased: pd.DataFrame
    reward_payments: pd.DataFrame
    proposals: pd.DataFrame
    wg_budget_proposals: pd.DataFrame
    budget_figures: pd.DataFrame
    recorded: frozenset[str]


def fetched_lists(meta: Mapping[str, str]) -> frozenset[str]:
    """The query node lists the cache's last refresh read (its ``fetched_rows``); none for a
    cache never refreshed from a node (the bundled snapshot)."""
    try:
        rows = json.loads(meta.get("fetched_rows") or "{}")
    except ValueError:
        return frozenset()
    return frozenset(rows) if isinstance(rows, dict) else frozenset()


def recorded_items(has_events: bool, has_proposals: bool, lists: Iterable[str]) -> frozenset[str]:
    """The items one network's data records: none unless the network has the chain's budget
    events (``has_events``: refills or reward payments); then each item whose list was fetched
    (``lists``, :func:`fetched_lists`) or, for events, that has rows. Proposal items need
    proposals (``has_proposals``)."""
    if not has_events:
        return frozenset()
    lists = set(lists)
    recorded = {"refills", "council_rewards"}
    for item in ("funded", "decreased"):
        if ITEM_LISTS[item] in lists:
            recorded.add(item)
    if has_proposals:
        recorded |= {"wg_top_ups", "funding_proposals"}
    return frozenset(recorded)


def sources_from(data: CouncilData, meta: Mapping[str, str] | None = None) -> BudgetSources:
    """The budget sources of one network's ``CouncilData`` (``data.for_network(...)``, or its
    ``since(block)`` view: the events from that block on, what is recorded as for the whole
    network); ``meta``: the cache's meta (default: ``data.meta``)."""
    meta = data.meta if meta is None else meta
    lists = fetched_lists(meta)
    if data.has_rows("council_budget_funded"):
        lists |= {ITEM_LISTS["funded"]}
    if data.has_rows("council_budget_decreased"):
        lists |= {ITEM_LISTS["decreased"]}
    has_events = data.has_rows("budget_refills") or data.has_rows("reward_payments")
    return BudgetSources(
        councils=data.councils,
        budget_refills=data.budget_refills,
        council_budget_funded=data.council_budget_funded,
        council_budget_decreased=data.council_budget_decreased,
        reward_payments=data.reward_payments,
        proposals=data.proposals,
        wg_budget_proposals=data.wg_budget_proposals,
        budget_figures=data.council_budget_figures,
        recorded=recorded_items(has_events, data.has_rows("proposals"), lists),
    )


def _per_term_sums(
    term_table: pd.DataFrame, events: pd.DataFrame, block: str, amounts: list[str]
) -> pd.DataFrame:
    """The sums of ``amounts`` over ``events`` by the term in office at ``block`` (0 where a
    term has none), indexed by council id."""
    totals = pd.DataFrame(0.0, index=term_table["council_id"].to_numpy(), columns=amounts)
    if events.empty:
        return totals
    # One row per block first: a block's events (every councillor's reward) share a term.
    by_block = (
        events[["network", block, *amounts]]
        .astype({"network": object, **dict.fromkeys(amounts, "float64")})
        .groupby(["network", block], sort=False)[amounts]
        .sum()
        .reset_index()
    )
    council = leaderboard.term_at(by_block, term_table, block)
    summed = by_block[amounts].groupby(council.to_numpy()).sum()
    return totals.add(summed.reindex(totals.index), fill_value=0.0)


def _per_term(term_table: pd.DataFrame, events: pd.DataFrame, block: str, amount: str) -> pd.Series:
    """The sum of ``amount`` over ``events`` by the term in office at ``block`` (0 where a
    term has none), indexed by council id."""
    return _per_term_sums(term_table, events, block, [amount])[amount]


def _figures(figures: pd.DataFrame, label: str, index: pd.Index) -> pd.Series:
    """A budget figure (HAPI text) of each council in JOY; NaN where not recorded."""
    if figures.empty:
        return pd.Series(np.nan, index=index, dtype="float64")
    mine = figures[(figures["label"] == label) & (figures["unit"] == "HAPI")]
    values = pd.to_numeric(mine["value"], errors="coerce").astype("float64") / 10**10
    by_council = pd.Series(values.to_numpy(), index=mine["council_id"].astype(str).to_numpy())
    by_council = by_council[~by_council.index.duplicated(keep="last")]
    return by_council.reindex(index).astype("float64")


def _executed(proposals: pd.DataFrame, types: set[str]) -> pd.DataFrame:
    keep = proposals["type"].isin(types) & (proposals["status"] == "executed")
    return proposals[keep & proposals["status_set_at_block"].notna()]


def _wg_top_ups(sources: BudgetSources, term_table: pd.DataFrame) -> pd.Series:
    """Executed working-group budget changes per term; NaN in a term where one of them has
    no recorded amount (proposals fetched before the amounts were)."""
    executed = _executed(sources.proposals, {WG_BUDGET_TYPE})
    amounts = sources.wg_budget_proposals[["id", "amount_joy"]]
    joined = executed[["network", "id", "status_set_at_block"]].merge(amounts, on="id", how="left")
    known = joined.dropna(subset=["amount_joy"])
    totals = _per_term(term_table, known, "status_set_at_block", "amount_joy")
    unknown = joined[joined["amount_joy"].isna()]
    if len(unknown):
        missing = leaderboard.term_at(unknown, term_table, "status_set_at_block").dropna()
        totals[totals.index.isin(set(missing))] = np.nan
    return totals


def budget_by_term(sources: BudgetSources) -> pd.DataFrame:
    """One row per term of the network (oldest first) with the columns of :data:`COLUMNS`.

    Start and end are the term report's; refills and spending items the chain's where
    recorded, else refills and spending (the total) the term report's (always so for a term
    known only from the mainnet record: council id ``<network>-...``). ``spending_joy`` is
    council rewards + working-group top-ups + funding proposals (creator payouts are not
    recorded); ``not_recorded`` names the figures the data does not hold for the term.
    """
    return _budget_table(sources, leaderboard.terms(sources.councils))


def _budget_table(sources: BudgetSources, term_table: pd.DataFrame) -> pd.DataFrame:
    """:func:`budget_by_term`'s rows of the terms in ``term_table`` (rows of
    ``leaderboard.terms``): each term's figures use only its own events and reports."""
    if term_table.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    index = pd.Index(term_table["council_id"].astype(str))
    recorded = sources.recorded
    nan = pd.Series(np.nan, index=index, dtype="float64")

    def chain(item: str, events: pd.DataFrame, block: str, amount: str) -> pd.Series:
        if item not in recorded:
            return nan.copy()
        return _per_term(term_table, events, block, amount).reindex(index)

    rewards = ["paid_joy", "missing_joy"]
    if "council_rewards" in recorded:
        paid = _per_term_sums(term_table, sources.reward_payments, "block", rewards).reindex(index)
    else:
        paid = pd.DataFrame({column: nan for column in rewards})
    funding = _executed(sources.proposals, FUNDING_TYPES)
    table = pd.DataFrame(index=index)
    table["refills_joy"] = chain("refills", sources.budget_refills, "block", "balance_joy")
    table["funded_joy"] = chain("funded", sources.council_budget_funded, "block", "amount_joy")
    table["decreased_joy"] = chain(
        "decreased", sources.council_budget_decreased, "block", "amount_joy"
    )
    table["council_rewards_joy"] = paid["paid_joy"]
    table["rewards_unpaid_joy"] = paid["missing_joy"]
    table["wg_top_ups_joy"] = (
        _wg_top_ups(sources, term_table).reindex(index) if "wg_top_ups" in recorded else nan
    )
    table["funding_proposals_joy"] = chain(
        "funding_proposals", funding, "status_set_at_block", "funding_amount_joy"
    )
    table["creator_payouts_joy"] = nan
    items = ["council_rewards_joy", "wg_top_ups_joy", "funding_proposals_joy"]
    table["spending_joy"] = table[items].sum(axis=1, min_count=len(items), skipna=False)

    # A term known only from the mainnet record (council id "<network>-council-T", where the
    # node did not return it) has none of the chain's events, whatever the network has.
    networks = term_table["network"].astype(str).to_numpy()
    archived = pd.Series(
        [c.startswith(f"{n}-") for c, n in zip(index, networks, strict=True)], index=index
    )
    chain_columns = [c for c in table.columns if c != "creator_payouts_joy"]
    table.loc[archived, chain_columns] = np.nan
    figures = sources.budget_figures
    from_chain = archived.map(lambda a: bool(recorded) and not a)
    table["refills_joy"] = table["refills_joy"].where(
        from_chain, _figures(figures, REFILL_LABEL, index)
    )
    table["spending_joy"] = table["spending_joy"].where(
        from_chain, _figures(figures, SPENT_LABEL, index)
    )
    table["budget_start_joy"] = _figures(figures, START_LABEL, index)
    table["budget_end_joy"] = _figures(figures, END_LABEL, index)
    expected = (
        table["budget_start_joy"]
        + table["refills_joy"]
        + table["funded_joy"].fillna(0.0)
        - table["decreased_joy"].fillna(0.0)
        - table["spending_joy"]
    )
    table["expected_end_joy"] = expected
    table["difference_joy"] = (table["budget_end_joy"] - expected).round(4)
    balances = table[["budget_start_joy", "budget_end_joy"]].notna().any(axis=1)
    flows = table[["refills_joy", "spending_joy"]].notna().any(axis=1)
    has_report = balances | (flows & ~from_chain)
    table["source"] = [_source(c, bool(r)) for c, r in zip(from_chain, has_report, strict=True)]
    table["not_recorded"] = _not_recorded(table)

    councils = sources.councils.set_index(sources.councils["id"].astype(str))
    out = term_table.assign(council_id=term_table["council_id"].astype(str))
    out = out.join(table, on="council_id")
    out["start_time"] = councils["elected_at_time"].reindex(out["council_id"]).to_numpy()
    out["end_time"] = councils["ended_at_time"].reindex(out["council_id"]).to_numpy()
    out["end_block"] = out["end_block"].replace(np.inf, np.nan)
    out["start_block"] = out["start_block"].astype("Int64")
    out["end_block"] = out["end_block"].round().astype("Int64")
    return out[COLUMNS].reset_index(drop=True)


def _source(chain: bool, report: bool) -> str:
    if chain and report:
        return "query node; start and end: term report"
    if chain:
        return "query node"
    if report:
        return "term report"
    return "not recorded"


_NAMES = {
    "budget_start_joy": "start",
    "refills_joy": "refills",
    "funded_joy": "member funding",
    "decreased_joy": "decreases",
    "council_rewards_joy": "council rewards",
    "wg_top_ups_joy": "working-group top-ups",
    "funding_proposals_joy": "funding proposals",
    "creator_payouts_joy": "creator payouts",
    "spending_joy": "spending",
    "budget_end_joy": "end",
}


def _not_recorded(table: pd.DataFrame) -> list[str]:
    """Per term, the figures the data does not hold, in table order (``"start, end, ..."``)."""
    columns = list(_NAMES)
    missing = table[columns].isna().to_numpy()  # rows of booleans: no per-row Series
    return [
        ", ".join(_NAMES[c] for c, gone in zip(columns, row, strict=True) if gone)
        for row in missing
    ]


@dataclass(frozen=True)
class SoFar:
    """The latest term's budget so far: its number, start, money in and out, the balance
    (start + in - out) where the start is recorded, and the recorded end of an ended term;
    None where not recorded."""

    network: str
    term: int
    in_office: bool
    start_joy: float | None
    refills_joy: float | None
    spending_joy: float | None
    balance_joy: float | None
    end_joy: float | None = None


def _known(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def term_so_far(table: pd.DataFrame) -> SoFar | None:
    """The newest term of :func:`budget_by_term`'s table (None without terms): still in
    office when it has no end block."""
    if table.empty:
        return None
    row = table.iloc[-1]
    refills = _known(row["refills_joy"])
    if refills is not None:
        refills += (_known(row["funded_joy"]) or 0.0) - (_known(row["decreased_joy"]) or 0.0)
    spending = _known(row["spending_joy"])
    start = _known(row["budget_start_joy"])
    balance = None
    if start is not None and refills is not None and spending is not None:
        balance = start + refills - spending
    return SoFar(
        network=str(row["network"]),
        term=int(row["term"]),
        in_office=pd.isna(row["end_block"]),
        start_joy=start,
        refills_joy=refills,
        spending_joy=spending,
        balance_joy=balance,
        end_joy=_known(row["budget_end_joy"]),
    )


def so_far(data: CouncilData) -> SoFar | None:
    """:func:`term_so_far` of one network's data (``data.for_network(...)``), computing only
    the newest term's row and reading only that term's reward payments, refills and decided
    proposals (``data.since``): the same figures as the whole table's newest row, since a term's
    figures use only its own events and reports."""
    term_table = leaderboard.terms(data.councils)
    if term_table.empty:
        return None
    newest = term_table.tail(1).reset_index(drop=True)
    start = newest["start_block"].iloc[0]
    recent = data if pd.isna(start) else data.since(float(start))
    return term_so_far(_budget_table(sources_from(recent, data.meta), newest))


def filter_terms(table: pd.DataFrame, term_range: tuple[int, int]) -> pd.DataFrame:
    """The rows of terms ``term_range[0]``..``term_range[1]`` (inclusive)."""
    low, high = term_range
    return table[(table["term"] >= low) & (table["term"] <= high)].reset_index(drop=True)


SPENDING_ITEMS = {
    "council_rewards_joy": "Council rewards",
    "wg_top_ups_joy": "WG top-ups",
    "funding_proposals_joy": "Funding proposals",
}
REPORTED_SPENDING = "Spending (term report, not by item)"


def spending_by_item(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`budget_by_term`'s spending in long form for a stacked chart: one row per term
    and recorded item (``term_label``, ``item``, ``amount_joy``), plus the term's refills
    (``refills_joy``, repeated). A term whose items are not recorded but whose spending is
    (a term report's total) has one row :data:`REPORTED_SPENDING`; a term with neither none.
    """
    rows = []
    for _, term in table.iterrows():
        label = f"term {int(term['term'])}"
        refills = term["refills_joy"]
        items = {name: term[column] for column, name in SPENDING_ITEMS.items()}
        known = {name: value for name, value in items.items() if pd.notna(value)}
        if not known and pd.notna(term["spending_joy"]):
            known = {REPORTED_SPENDING: term["spending_joy"]}
        for name, value in known.items():
            rows.append((label, name, float(value), refills))
    return pd.DataFrame(rows, columns=["term_label", "item", "amount_joy", "refills_joy"])
