"""Placeholder for the compare page (the page owner replaces this file)."""

import streamlit as st

import ui

lang = ui.page_setup("compare")
st.title(ui.tr("nav.compare"))
st.info(ui.tr("page.placeholder"))
