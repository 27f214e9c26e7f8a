"""Map: the atlas's main page (opened by ``dashboard.py``, the entry point, at ``/``).

The base map is built once and never changes, so moving the date only swaps its layers
(territory, events, the date label) and the map keeps its pan and zoom. The date panel
is a fragment: a slider move reruns only it, not the page.

The page body is a function so that nothing of the data lives in the page's globals: a
fragment keeps its function (and so the globals it sees) for as long as its session, and a
dataset held there would outlive a data swap. The fragment asks the cache for the data.
"""

import streamlit as st

from frontline.app import a11y, banner, cache, compare, dates, mapview, nav, place_view, sidebar, state


def map_page() -> None:
    # the sidebar comes last (below); the page's spacing is in MAP_CSS
    nav.page_setup("Frontline: ISIS territory 2014-2019", menu=False, style=False)
    st.markdown(mapview.MAP_CSS, unsafe_allow_html=True)

    ds = cache.dataset()
    banner.data_banner(ds)
    state.get_date()
    filters = state.get_filters()
    state.get_view()
    for notice in state.pop_notices():
        st.info(notice, icon=":material/link:")

    # The controls' choices are read before their widgets are drawn: the page sends the map's element before the
    # widgets of the play bar and the sidebar (drawn into a container above it, and last), so that a new visitor's
    # browser loads the map's code and frame first instead of after every widget's code.
    window, show_older, overlay = sidebar.map_options()
    compare_spec, side = compare.current()
    controls = st.container()

    @st.fragment(run_every=dates.PLAY_NUDGE if dates.playing() else None)
    def date_panel():
        """The slider, the map and the figures: rerun alone when the date moves."""
        when = dates.tick()
        draw = mapview.map_and_figures(cache.shared_dataset(), when, window, show_older, overlay, compare_spec, side)
        dates.date_slider(when)
        draw()

    date_panel()
    with controls:
        compare_column, side_column = dates.play_bar()
        dates.step_buttons()
        compare.compare_select(compare_column)
        compare.side_by_side(side_column, compare_spec)
    mapview.export_view_button()
    place_view.place_section(ds.places, ds.events)
    mapview.attribution()
    nav.page_menu()
    sidebar.map_sidebar(filters)
    a11y.popover_focus()


map_page()
