"""Placeholder for the grid page (the page owner replaces this file)."""

import streamlit as st

import ui

lang = ui.page_setup("grid")
st.title(ui.tr("nav.grid"))
st.info(ui.tr("page.placeholder"))
