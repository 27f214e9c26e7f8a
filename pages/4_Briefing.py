"""Briefing: export clean, labelled maps, small multiples, a slide deck or a stand-alone map, for download."""

import pandas as pd
import streamlit as st

from frontline.app import banner, briefing_form, cache, nav, state
from frontline.export import Briefing
from frontline.safety import md_text

nav.page_setup("Frontline: Briefing")
for notice in state.pop_notices():
    st.warning(notice)

st.title("Briefing exports")
st.markdown("Clean, labelled, reproducible images of any date, and a deck that tells the story: no internet "
            "and no browser needed. The same exports run from the command line: `python -m frontline export --help`.")

ds = cache.dataset()
if banner.data_banner(ds, refuse="Exports are refused until then, as on the command line, so that no "
                                     "briefing is made from partial data."):
    st.stop()
model = cache.territory()
if model is None:
    st.error(md_text(f"The territory model is not available ({cache.territory_error()}), so nothing can be exported."))
    st.stop()
filters = state.get_filters()
day = state.get_date()

left, right = st.columns([2, 3])
with left:
    opts = briefing_form.options(day, filters)
    dates = briefing_form.dates_or_error(opts)
if dates is None:
    st.stop()
with right:
    since = pd.Timestamp(opts.change_from) if opts.change_from else None
    briefing = Briefing(ds.places, ds.events, model, filters, opts.window_days, opts.bounds, opts.area_name, since)
    briefing_form.preview_and_build(briefing, dates, opts, filters)
