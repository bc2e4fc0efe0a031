"""The secretary's uploads: replace a CSV safely, see what changes, restore any version."""

import streamlit as st

from council import format, ui, uploads

st.title("Secretary uploads")
st.caption(
    "Upload an updated CSV. It is checked before anything is stored; you see what it changes "
    "and confirm; every accepted upload is kept as a version and any version can be restored."
)

token = ui.upload_token()
if token is None:
    st.info(
        "Uploading is off: no upload token is configured. To turn it on, set "
        f'`{uploads.TOKEN_ENV}` in the server\'s environment or `upload_token = "..."` in '
        "`.streamlit/secrets.toml`, then restart the app.",
        icon="🔒",
    )
    st.stop()

given = st.text_input("Upload token", type="password", key="token")
if not uploads.token_matches(given, token):
    if given:
        st.error("That token is not right.")
    st.stop()

names = {"Spending categories": uploads.SPENDING_CATEGORIES.name, "KPIs": uploads.KPIS.name}
dataset = names[st.selectbox("File", list(names), key="dataset")]
schema = uploads.SCHEMAS[dataset]
st.caption("Expected columns: " + ", ".join(f"`{c}`" for c in schema.column_names))

uploaded = st.file_uploader("CSV file", type=["csv"], key="file")
if uploaded is not None:
    d = ui.council_data()
    chain_ids = {network: set(group["id"]) for network, group in d.proposals.groupby("network")}
    result = uploads.check(dataset, uploaded.getvalue(), uploaded.name, chain_ids)
    for problem in result.errors:
        st.error(str(problem))
    for problem in result.warnings[:50]:
        st.warning(str(problem))
    if len(result.warnings) > 50:
        st.warning(f"… and {len(result.warnings) - 50} more warnings.")
    if result.ok:
        change = uploads.diff(uploads.current(dataset), result.frame, schema.key)
        st.success(f"{uploaded.name}: {len(result.frame):,} rows are valid. {change.summary}.")
        for label, frame in (
            ("Added", change.added),
            ("Removed", change.removed),
            ("Changed", change.changed),
        ):
            if not frame.empty:
                with st.expander(f"{label}: {len(frame):,} rows"):
                    # Raw file cells: formula-safe, without show_table's column formats
                    # (this file's "Link" and "Progress %" are text, not the pages' columns).
                    st.dataframe(format.neutralise_formulas(frame), hide_index=True)
        who = st.text_input("Your name (kept with the version)", key="who")
        if st.button("Confirm upload", type="primary", disabled=not who.strip()):
            version = uploads.store_version(dataset, result.frame, uploaded.name, who.strip())
            ui.clear_caches()
            st.success(f"Stored as version {version.version}.")
    else:
        st.error("Nothing was stored. Fix the problems above and upload again.")

st.subheader("Versions")
history = uploads.versions(dataset)
if not history:
    ui.empty_state("No uploads yet: the starter file shipped with the dashboard is in use.")
else:
    st.dataframe(format.neutralise_formulas(uploads.versions_table(history)), hide_index=True)
    chosen = st.selectbox("Restore version", [v.version for v in history[1:]], key="restore")
    if chosen is not None and st.button(f"Restore version {chosen}"):
        restored = uploads.restore(dataset, chosen, "restore")
        ui.clear_caches()
        st.success(f"Version {chosen} restored as version {restored.version}.")
