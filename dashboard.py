"""Frontline: the entry point (``streamlit run dashboard.py``); it names the pages and opens the map.

Each page is a script in ``pages/``; the list with their sidebar titles and URLs is
``frontline.app.nav.PAGES``, so the map shows as "Map" and opens at ``/``. Pages switch
to each other by their file (``st.switch_page("pages/0_Map.py")``).
"""

from frontline.app import nav

nav.navigation().run()
