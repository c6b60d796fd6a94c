"""LowBit Lab entry point: a router only.  Run with ``streamlit run app.py``.

Each page calls ``ui.page_setup()`` itself (language switch, page config), so a page also works
when run alone (AppTest after ``switch_page``). Here we only set the app-wide page config and list
the pages with their translated titles and stable URL paths (/bits, /grid, /quantize, /compare).
"""

import streamlit as st

import ui

st.set_page_config(page_title="LowBit Lab", page_icon=ui.APP_ICON, layout="wide")

pages = [
    st.Page(f"pages/{name}.py", title=ui.tr(title_key), icon=icon, url_path=name, default=(name == "bits"))
    for name, (title_key, icon) in ui.PAGES.items()
]
st.navigation({ui.tr("nav.section"): pages}).run()
