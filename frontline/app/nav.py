"""Pages and navigation: the page list, the hidden ``st.navigation`` and each page's sidebar menu."""

from __future__ import annotations

import functools

import streamlit as st

from .. import config

# --- Pages and navigation ------------------------------------------------------------------
#: (script, sidebar title, URL path); the first is the default page, at "/".
PAGES: tuple[tuple[str, str, str], ...] = (
    ("pages/0_Map.py", "Map", ""),
    ("pages/1_Timeline.py", "Timeline", "Timeline"),
    ("pages/2_Events.py", "Events", "Events"),
    ("pages/3_Sources_and_Methodology.py", "Sources and Methodology", "Sources_and_Methodology"),
    ("pages/4_Briefing.py", "Briefing", "Briefing"),
    ("pages/5_Curate.py", "Curate", "Curate"),
)

#: Shared by every page: less empty space above the page title (Streamlit's default is 6rem).
_PAGE_STYLE = "<style>.block-container{padding-top:2.5rem}</style>"


def navigation():
    """The app's navigation for ``dashboard.py``; its menu is drawn by :func:`page_setup` on each page."""
    return st.navigation([st.Page(path, title=title, url_path=url or None, default=not url)
                          for path, title, url in PAGES], position="hidden")


@functools.lru_cache(maxsize=1)
def _tidy_once() -> None:
    """At start-up, remove temporary files that a killed save left beside the data files."""
    from ..intake import csvstore

    for path in (config.EVENTS_PATH, config.PLACES_PATH):
        csvstore.tidy(path)


def page_setup(page_title: str, menu: bool = True, style: bool = True) -> None:
    """Configure a page and draw the sidebar menu with the pages' titles (unless ``menu`` is false: the page then
    calls :func:`page_menu` itself, e.g. after its main content). Without ``style`` the page brings its own
    spacing (the Map page: one element fewer, and one kind of element whose code a new visitor need not load).

    The menu is drawn here rather than by ``st.navigation`` because Streamlit, on a fresh
    server whose first visitor opens a page's own URL, runs that page without the entry
    script (the legacy ``pages/`` mode) and would list the files' names instead.
    """
    st.set_page_config(page_title=page_title, layout="wide")
    _tidy_once()
    if style:
        st.html(_PAGE_STYLE)
    if menu:
        page_menu()


def page_menu() -> None:
    """The sidebar menu: a link to each page, then a divider (first in the sidebar whenever it is drawn)."""
    from streamlit.errors import StreamlitPageNotFoundError

    with st.sidebar:
        try:
            for path, title, _ in PAGES:
                st.page_link(path, label=title)
        except StreamlitPageNotFoundError:
            return  # a page script run on its own (AppTest.from_file): there is no app to link to
        st.divider()
