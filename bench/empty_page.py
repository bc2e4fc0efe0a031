"""The baseline: an empty Streamlit page, timed beside the real pages."""

import streamlit as st

st.title("Empty page")
