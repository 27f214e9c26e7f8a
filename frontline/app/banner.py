"""The same notice on every page when the data or basemap files have problems."""

from __future__ import annotations

import streamlit as st

from ..dataset.load import Dataset

def data_banner(ds: Dataset, refuse: str = "") -> bool:
    """Show, on any page, what is wrong with the data or basemap files and how to fix it.

    The same banner on every page: the count of problems and of rows not shown, the problems
    as a table (file, line, column, message, all plain text), and a missing basemap. With
    ``refuse`` (what the page will not do on partial data) the page is told to stop that action.
    Returns True when the data files have problems.
    """
    from ..dataset import basemap

    if ds.problems:
        with st.container(border=True):
            stop = f" {refuse}" if refuse else ""
            st.error(f"The data files have {len(ds.problems)} problem(s); {ds.skipped_events} event row(s) are "
                     f"not shown.{stop} Fix them and reload; `python -m frontline validate` prints the same list.")
            st.dataframe([{"file": p.path, "line": p.line, "column": p.column, "problem": p.message}
                          for p in ds.problems], hide_index=True, height=min(36 * (len(ds.problems) + 1), 250))
    missing = basemap.problem()
    if missing:
        from ..safety import md_text

        st.warning(md_text(missing), icon=":material/map:")
    return bool(ds.problems)

