"""Placeholder for the quantize page (the page owner replaces this file)."""

import streamlit as st

import ui

lang = ui.page_setup("quantize")
st.title(ui.tr("nav.quantize"))
st.info(ui.tr("page.placeholder"))
