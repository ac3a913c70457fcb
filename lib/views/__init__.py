"""Page views: one module per page, each view a plain function of (datasets in use, filters) returning
plain data — tables, charts, maps, sentences — for the page to lay out; the command line, the PDF and
the deck call the same functions. No Streamlit here (``lib.app.data.view`` runs a view for a page)."""
