"""PRIC dashboard library. The layers are the folders, each importing only those below it:
core → sources → datasets → indicators → render → views → app (the only Streamlit package) → pages;
the command line (``python -m lib``) sits beside the pages. See README « Architecture »."""
