"""Charts and maps drawn from what :mod:`lib.app.present` made of a view's result."""
from __future__ import annotations

from typing import Any

import streamlit as st


def show_chart(spec: dict, **kwargs: Any):
    kwargs.setdefault("width", "stretch")
    return st.vega_lite_chart(spec, **kwargs)


def show_map(args: dict, key: str):
    """Draw a map from :func:`map_component`'s arguments (what ``st_folium`` would draw)."""
    import streamlit_folium as sf

    hash_key = args["key"]

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(**args, on_change=on_change)

