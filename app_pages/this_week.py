"""This week: what needs the council now, and the meeting's agenda."""

from datetime import UTC, datetime

import streamlit as st

from council import agenda, tables, ui, uploads, watch
from council.desk import build_desk, periods
from council.desk import tables as desk_tables
from council.desk.pending import AWAITING, DESK_THRESHOLDS, filter_pending

st.title("This week")
st.caption(
    "The meeting's first screen: proposals awaiting the council (deciding, dormant, gracing) "
    "with their deadlines, each councillor's votes this term, the running term at a glance "
    "and an agenda to post. Overdue proposals and those ending within "
    f"{DESK_THRESHOLDS.nearly_expiring_hours:.0f} h stand out. Times assume 6-second blocks."
)

data = ui.council_data()
network = ui.network_or_stop(
    data.networks, "No council data yet. Refresh from a query node on the Data page."
)
now = datetime.now(UTC).replace(second=0, microsecond=0)


@st.cache_data(show_spinner="Reading what needs the council…", max_entries=8)
def desk(cache_key: tuple[str, float], uploads_key: float, network: str, now: datetime):
    """The network's desk as of ``now`` (cached per cache, uploads and minute)."""
    return build_desk(
        ui.council_data().for_network(network),
        network,
        uploads.current(uploads.KPIS.name),
        uploads.current(uploads.SPENDING_CATEGORIES.name),
        now,
    )


today = desk(ui.cache_key(), ui.uploads_key(), network, now)
people = sorted(today.councillors["councillor"]) if not today.councillors.empty else []
with st.sidebar:
    st.header("Filters")
    stages = ui.url_multiselect("Stage", "stage", list(AWAITING))
    waiting_for = ui.url_selectbox(
        "Awaiting the vote of", "councillor", [None, *people], scope=network,
        format_func=lambda name: "anyone" if name is None else desk_tables.plain(name),
        to_text=lambda name: "" if name is None else desk_tables.plain(name),
    )  # fmt: skip

if today.historical:
    ui.empty_state(agenda.historical_note(today))

st.subheader("Proposals awaiting the council")
if today.clock is not None and not today.historical:
    st.caption(watch.clock_note(today.clock))
pending = today.pending
cols = st.columns(3)
cols[0].metric("Awaiting", len(pending))
cols[1].metric("Overdue", int(pending["overdue"].sum()) if len(pending) else 0)
cols[2].metric("Nearly expiring", int(pending["nearly_expiring"].sum()) if len(pending) else 0)
for row in pending[pending["overdue"] | pending["nearly_expiring"]].head(5).itertuples():
    label = "overdue" if row.overdue else f"ends in {agenda.left_text(row.hours_left)}"
    st.warning(f"**#{row.id} {row.title}** ({row.stage}): {label}", icon="⚠️")
if not today.historical:
    if not today.proposals_recorded:
        ui.empty_state("The record holds no proposals: nothing to decide from this data.")
    elif pending.empty:
        ui.empty_state(agenda.NOTHING_PENDING)
    else:
        shown = filter_pending(pending, stages, waiting_for)
        ui.show_table(desk_tables.pending_table(shown, today.clock), f"pending-{network}.csv")

st.subheader("Councillors this term")
if today.councillors.empty:
    ui.empty_state("No councillors in the data.")
else:
    ui.show_table(desk_tables.councillor_table(today.councillors), f"councillors-{network}.csv")

term = today.term
st.subheader("The term at a glance" if term is None or term.running else "The latest term")
if term is not None:
    cols = st.columns(4)
    cols[0].metric("Term", term.number, help=f"Council {term.council_id}")
    cols[1].metric(
        "Days left",
        "ended" if not term.running else agenda.figure(term.days_left, "{:.1f}"),
    )
    cols[2].metric(
        "Budget spent (JOY)",
        agenda.figure(term.budget_spent_joy, "{:,.0f}"),
        help=agenda.budget_text(term),
    )
    cols[3].metric("KPIs due or overdue", len(today.kpis_due), help=f"KPI term {today.kpi_term}")
    st.caption(agenda.budget_text(term))
st.caption(agenda.election_text(today))
if not today.kpis_due.empty:
    st.markdown(f"**KPIs due within {DESK_THRESHOLDS.kpi_days} days or overdue** (as of "
                f"{today.as_of:%Y-%m-%d})")  # fmt: skip
    ui.show_table(tables.kpi_table(today.kpis_due), f"kpis-due-{network}.csv")

st.subheader("Agenda for the forum or Discord")
text = agenda.agenda_markdown(today)
with st.container(border=True):
    st.markdown(text)
ui.markdown_source("Markdown source (copy)", text, key="agenda-source")
st.download_button(
    "Download agenda (.md)",
    text,
    file_name=f"agenda-{network}-{today.as_of:%Y%m%d}.md",
    mime="text/markdown",
    icon=":material/download:",
    key="download-agenda",
)
st.caption(f"The same text as `python -m council.agenda --network {network}` prints.")

with st.expander("Proposal periods (where the deadlines come from)"):
    st.caption(f"Source: {periods.SOURCE}.")
    ui.show_table(periods.periods_table(), "proposal-periods.csv")
