"""Placeholder for the bits page (the page owner replaces this file)."""

import streamlit as st

import ui

lang = ui.page_setup("bits")
st.title(ui.tr("nav.bits"))
st.info(ui.tr("page.placeholder"))
