"""LowBit Lab entry point: a router only.  Run with ``streamlit run app.py``.

Each page calls ``ui.page_setup()`` itself (language switch, page config), so a page also works
when run alone (AppTest after ``switch_page``). Here we only set the app-wide page config and list
the pages with their translated titles and stable URL paths (/ and /bits, /grid, /quantize, /compare).
"""

import streamlit as st

import ui

st.set_page_config(page_title="LowBit Lab", page_icon=ui.APP_ICON, layout="wide")

pages = [
    st.Page(f"pages/{name}.py", title=ui.tr(title_key), icon=icon, url_path="start" if name == "bits" else name,
            default=(name == "bits"))
    for name, (title_key, icon) in ui.PAGES.items()
]
# The default page is served at "/" (its url_path "start" is only reserved); this hidden alias makes
# a typed or shared /bits?... link open the Bits page too, instead of a "Page not found" dialog.
bits_alias = st.Page("pages/bits.py", title=ui.tr(ui.PAGES["bits"][0]), url_path="bits", visibility="hidden")
chosen = st.navigation({ui.tr("nav.section"): [*pages, bits_alias]})
ui.mark_routed()
chosen.run()
ui.release_memory()
