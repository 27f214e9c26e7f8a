"""Sources and Methodology: every source and the events citing it; how the data and the territory were made."""

import streamlit as st

from frontline import config
from frontline.dataset import sources
from frontline.app import banner, cache, nav

nav.page_setup("Frontline: Sources and Methodology")
DOCS = config.ROOT / "docs"


def show_doc(name: str, missing: str) -> None:
    """Render ``docs/<name>`` as Markdown, or say that it is missing."""
    path = DOCS / name
    if path.is_file():
        st.markdown(path.read_text(encoding="utf-8"))
    else:
        st.info(missing, icon=":material/description:")


ds = cache.dataset()
banner.data_banner(ds)
by_source = sources.source_counts(ds.events)
by_outlet = sources.outlet_counts(ds.events)

st.title("Sources and Methodology")
m1, m2, m3, m4 = st.columns(4)
m1.metric("Events", len(ds.events))
m2.metric("Sources cited", len(by_source))
m3.metric("Outlets", len(by_outlet))
m4.metric("Places in the gazetteer", len(ds.places))

tab_sources, tab_data, tab_territory = st.tabs(["Sources", "Data: compilation, checks, licences, citation",
                                                "Territory and areas"])
with tab_sources:
    if by_source.empty:
        st.info("No event is loaded, so there is no source to list.", icon=":material/description:")
    else:
        st.markdown("Every source cited by the events, with the number of events that cite it "
                    "(most cited first). Search the table with the magnifier in its top-right corner.")
        st.dataframe(
            by_source, key="src_table", hide_index=True, width="stretch",
            column_config={
                "outlet": st.column_config.TextColumn("Outlet"),
                "date": st.column_config.TextColumn("Date"),
                "accessed": st.column_config.CheckboxColumn("Access date", help="The date the page was read, not published"),
                "title": st.column_config.TextColumn("Title", width="large"),
                "url": st.column_config.LinkColumn("Link", display_text="open ↗"),
                "events": st.column_config.NumberColumn("Events citing it"),
                "event_ids": st.column_config.TextColumn("Event ids", width="medium"),
            },
        )
        st.markdown("**By kind of source**: how the record is sourced (an event resting *only* on one kind "
                    "is counted under `only`; no change of control rests on an encyclopedia alone).")
        st.dataframe(sources.source_type_counts(ds.events), key="src_kinds", hide_index=True,
                     column_config={"kind": "Kind", "citations": "Citations", "events": "Events citing it",
                                    "only": "Events resting on it alone"})
        st.markdown("**By outlet**: an event citing two articles of one outlet counts once.")
        st.dataframe(by_outlet, key="src_outlets", hide_index=True,
                     column_config={"outlet": "Outlet", "events": "Events citing it", "sources": "Distinct sources"})

with tab_data:
    show_doc("methodology_data.md", "docs/methodology_data.md is missing: the data method cannot be shown.")

with tab_territory:
    show_doc("methodology_territory.md", "The territory method (docs/methodology_territory.md) has not been "
             "written yet. In short: control is recorded for places (points); areas are estimated from them.")
