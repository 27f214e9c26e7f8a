"""The app layer: the only code in ``frontline`` that imports Streamlit.

- :mod:`.cache`: cached loaders (dataset, timeline, territory, event points, geocoder, overlays)
- :mod:`.state`: the shared date, filters and map view, in the session and the URL
- :mod:`.component`: the map component, its base map rendered once
- :mod:`.nav`: the page list, navigation and each page's sidebar menu
- :mod:`.banner`: the data and basemap notice every page shows
- :mod:`.sidebar`, :mod:`.dates`, :mod:`.mapview`: the Map page's sidebar, date controls, and map with its figures
- :mod:`.curate_form`: the Curate page's check -> problems -> duplicates -> confirm -> add flow
- :mod:`.briefing_form`: the Briefing page's options and its preview and build panel

Page scripts import these modules and lay out widgets; logic lives in the rest of the package.
"""
