"""Frontline: the entry point (``streamlit run dashboard.py``); it names the pages and opens the map.

Each page is a script in ``pages/``; this file only lists them with their sidebar titles
(and sets the one style rule all pages share),
so the map shows as "Map" (not as the file name) and opens at ``/``. Pages switch to
each other by their file (``st.switch_page("pages/0_Map.py")``).
"""

import streamlit as st

PAGES = [
    st.Page("pages/0_Map.py", title="Map", default=True),
    st.Page("pages/1_Timeline.py", title="Timeline", url_path="Timeline"),
    st.Page("pages/2_Events.py", title="Events", url_path="Events"),
    st.Page("pages/3_Sources_and_Methodology.py", title="Sources and Methodology",
            url_path="Sources_and_Methodology"),
    st.Page("pages/4_Briefing.py", title="Briefing", url_path="Briefing"),
    st.Page("pages/5_Curate.py", title="Curate", url_path="Curate"),
]

#: Shared by every page: less empty space above the page title (Streamlit's default is 6rem).
st.html("<style>.block-container{padding-top:2.5rem}</style>")
st.navigation(PAGES).run()
