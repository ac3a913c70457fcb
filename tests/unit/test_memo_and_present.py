"""The datasets' memo and what the app sends: views equal the direct computation, one entry per call
whatever its spelling, bounded stores, a session's imports kept in its own store and released with it;
chart specs, tables and maps sent as Streamlit's own elements would send them."""
from __future__ import annotations

import copy
import gc
import json
import weakref

import pandas as pd
from streamlit.testing.v1 import AppTest

from lib.app import present
from lib.app.data import run_view
from lib.datasets.in_use import Datasets
from lib.datasets.memo import Store
from lib.indicators import pathways as pw
from lib.indicators import unemployment as unemp
from lib.render import charts
from lib.views import chomage
from lib.views.common import coverage_table, territories
from tests.conftest import FIXTURES

REGION = "84"
SHARED = Datasets(REGION)


def test_views_equal_direct_computation():
    from lib.views import parcours

    tidy = unemp.for_region(SHARED.unemployment()[0], SHARED.region)
    quarter = unemp.quarters(tidy)[-1]
    table, args = run_view(SHARED, chomage.unemployment_table_and_map, quarter)
    pd.testing.assert_frame_equal(table, unemp.department_table(tidy, SHARED.region, quarter))
    assert args["script"] and args["key"]  # the map component's arguments, rendered once

    records, _, denominators, _, _ = SHARED.records()
    year = int(records["year"].max())
    selection = pw.Selection(year=year, deps=("01", "69"))
    for _ in range(2):  # computed, then a memo hit
        page = run_view(SHARED, parcours.pathway_page, year, ("01", "69"), (), (), "Source")
        pd.testing.assert_frame_equal(page["by_public"], pw.rates_by(records, denominators, selection, ["public"]))
        pd.testing.assert_frame_equal(page["by_pathway"], pw.rates_by(records, denominators, selection, ["pathway_type"]))
        cross = pw.rates_by(records, denominators, selection, ["public", "pathway_type"])
        for indicator, (table, spec) in page["heat"].items():
            pd.testing.assert_frame_equal(table, cross[cross["indicator"].eq(indicator)])
            assert spec["description"].startswith(pw.INDICATOR_LABELS[indicator])
        assert len(page["public_charts"]) == len(set(page["by_public"]["indicator"]))


def test_view_calls_are_one_entry_whatever_their_spelling():
    ds = Datasets(REGION)
    calls = []

    def probe(ds: Datasets, qpv_list: str = "2024") -> int:
        calls.append(qpv_list)
        return len(calls)

    assert run_view(ds, probe) == run_view(ds, probe, "2024") == run_view(ds, probe, qpv_list="2024") == 1
    assert run_view(ds, probe, "2015") == 2
    assert calls == ["2024", "2015"]


def test_views_follow_the_qpv_list():
    from lib.views import territoires

    for key in ("2024", "2015"):
        tables = run_view(SHARED, territoires.coverage_tables, key)
        pd.testing.assert_frame_equal(tables["coverage"], coverage_table(SHARED, key))
    assert (coverage_table(SHARED, "2024")["qpv_count"].sum() != coverage_table(SHARED, "2015")["qpv_count"].sum())
    # The quarters' Insee indicators exist for the 2015 list only, whatever list the page shows.
    evolution = run_view(SHARED, territoires.qpv_evolution, 2017, 2022, ())["table"]
    assert set(evolution["code"]) <= set(territories(SHARED, "2015").qpv["code"])


def test_store_is_bounded_per_name():
    store = Store()
    from lib.datasets.memo import Entry

    for n in range(6):
        store.put("chart", n, Entry(n, frozenset()), bound=3)
    store.put("other", 0, Entry(0, frozenset()), bound=3)
    assert store.names() == {"chart": 3, "other": 1}
    assert store.get("chart", 5).value == 5 and store.get("chart", 0) is None


def test_an_import_stays_in_its_session_and_is_released_with_it():
    shared = Datasets(REGION)
    data = (FIXTURES / "unemployment" / "insee_complet.xlsx").read_bytes()
    session = Datasets(REGION, imported={"unemployment": (data, "insee_complet.xlsx")}, shared=shared)
    tidy = session.unemployment()[0]
    assert session.unemployment()[0] is tidy  # read once per session
    quarters = run_view(session, chomage.unemployment_quarters)
    assert quarters == unemp.quarters(unemp.for_region(tidy, session.region))
    # nothing of the import is in the shared store; what does not depend on it is shared (the contours)
    run_view(session, chomage.unemployment_table_and_map, quarters[-1])
    assert not [key for key, (used, _) in shared.store.used().items() if "unemployment" in used]
    assert ("departements", (REGION,)) in shared.store.used()
    assert all("unemployment" in used for used, _ in session.store.used().values())
    # the shared datasets still give the provided edition
    assert shared.unemployment()[1].source.endswith("(sl_etc_2025T3.xls)")
    held = weakref.ref(tidy)
    del tidy, session
    gc.collect()
    assert held() is None


def test_records_are_read_again_when_the_observation_date_changes():
    from lib.views import parcours

    shared = Datasets(REGION)
    data = (FIXTURES / "records" / "small_records.csv").read_bytes()
    early, late = pd.Timestamp("2022-01-31"), pd.Timestamp("2023-06-30")
    first = Datasets(REGION, imported={"records": (data, "small_records.csv")}, as_of=early, shared=shared)
    later = Datasets(REGION, imported={"records": (data, "small_records.csv")}, as_of=late, shared=shared)
    assert first.key != later.key and first.key is not None
    assert first.records()[1].meta["as_of"] == early and later.records()[1].meta["as_of"] == late
    assert run_view(first, parcours.records_years) == sorted(int(y) for y in first.records()[0]["year"].unique())
    assert not [key for key, (used, _) in shared.store.used().items() if "records" in used]


def test_chart_spec_hides_marks_and_keeps_data():
    series = unemp.series(unemp.for_region(SHARED.unemployment()[0], SHARED.region), SHARED.region, ["01", "03"], "2020-T1")
    spec = present.chart_spec(charts.unemployment_lines(series, "Titre", "Source"))
    assert spec == present.present(charts.unemployment_lines(series, "Titre", "Source"))
    assert present.hashable(series) != present.hashable(series.iloc[:5])  # data are part of a chart's key


def _draw_both() -> None:
    import pandas as pd
    import streamlit as st

    from lib.app.components import show_chart
    from lib.app.present import chart_spec
    from lib.render import charts

    data = pd.DataFrame({"serie": ["a", "a", "b"], "level": ["departement", "region", "departement"],
                         "quarter": ["2024-T1", "2024-T2", "2024-T1"],
                         "date": pd.to_datetime(["2024-01-01", "2024-04-01", "2024-01-01"]), "rate": [7.1, 7.3, 6.0]})
    st.altair_chart(charts.unemployment_lines(data, "Titre", "Source"), width="stretch")
    show_chart(chart_spec(charts.unemployment_lines(data, "Titre", "Source")))


def test_vega_lite_from_spec_draws_what_altair_chart_draws():
    at = AppTest.from_function(_draw_both).run()
    assert not at.exception
    direct, memoised = at.get("vega_lite_chart")
    # The same chart, except that the memoised spec hides its marks from the accessibility tree
    # (the chart is one image named by its description, lib/app/present.hide_marks_from_aria).
    from lib.app.present import hide_marks_from_aria
    from lib.render.charts import narrow_subtitles  # and gives its subtitle a narrow-screen form (reflow, RGAA 10.11)

    assert json.loads(memoised.proto.spec) == narrow_subtitles(hide_marks_from_aria(json.loads(direct.proto.spec)))
    sent = json.loads(memoised.proto.spec)
    assert all(view["mark"]["aria"] is False for view in sent.get("layer", [sent]))  # the lines and the points
    direct.proto.spec = memoised.proto.spec = ""
    assert direct.proto == memoised.proto


def _tables_both_ways() -> None:
    import pandas as pd
    import streamlit as st

    from lib.app.present import _styler_proto
    from lib.app.tables import column_widths, show_table
    from lib.render.tables import styled

    table = pd.DataFrame({"dep": ["01", "69", "2A"], "name": ["Ain", "Rhône", "Corse-du-Sud"],
                          "population": [671937, 1900000, None], "rate": [0.0712, 0.1, float("nan")]})
    formats, labels = {"population": "int", "rate": "pct_fraction"}, {"dep": "Code", "rate": "Taux"}
    # show_table sizes each column to its header and longest display string (column_widths)
    from streamlit import dataframe_util

    widths = column_widths(dataframe_util.convert_pandas_df_to_arrow_bytes(table.rename(columns=labels)),
                           _styler_proto(table, formats, labels))
    config = {column: st.column_config.Column(width=pixels) for column, pixels in widths.items()}
    left, right = st.columns(2)
    with left:
        st.dataframe(styled(table, formats, labels), hide_index=True, width="stretch", height=300, placeholder="–",
                     column_config=config)
    with right:
        show_table(table, formats, labels, height=300)
        show_table(table, formats, labels, height=300)  # second time: from the memo
    st.dataframe(styled(table, formats, labels), width=400, placeholder="–", column_config=config)
    show_table(table, formats, labels, hide_index=None, width=400)
    # a shorter header (its label as tooltip), a set width, a pinned column, taller rows
    st.dataframe(styled(table, formats, labels), hide_index=True, width="stretch", placeholder="–", row_height=70,
                 column_config={**config, "population": st.column_config.Column(label="Pop.", help="population", width=75),
                                "name": st.column_config.Column(width=90, pinned=True)})
    show_table(table, formats, labels, short={"population": "Pop."}, widths={"name": 90}, pin="name", row_height=70)


def test_show_table_draws_what_st_dataframe_of_a_styler_draws():
    at = AppTest.from_function(_tables_both_ways).run()
    assert not at.exception
    direct, memoised, again, direct_plain, memoised_plain, direct_options, memoised_options = at.dataframe
    for a, b in ((direct, memoised), (direct, again), (direct_plain, memoised_plain), (direct_options, memoised_options)):
        a.proto.arrow_data.styler.uuid = b.proto.arrow_data.styler.uuid = ""  # pandas draws a random one
        assert a.proto == b.proto
    pd.testing.assert_frame_equal(memoised.value, direct.value)
    assert list(memoised.value.columns) == ["Code", "name", "population", "Taux"]
    from streamlit import dataframe_util

    shown = dataframe_util.convert_arrow_bytes_to_pandas_df(memoised.proto.arrow_data.styler.display_values)
    assert shown.iloc[0, 3] == "7,1\u202f%" and shown.iloc[2, 2] == "–"
    widths = {k: v["width"] for k, v in json.loads(memoised.proto.columns).items() if "width" in v}
    # « Corse-du-Sud » (81 px in Source Sans 14 px) and « 1 900 000 » set their columns, plus padding; « Code » its header
    assert widths == {"Code": 53, "name": 103, "population": 87, "Taux": 60}


def test_column_widths_follow_the_longest_string():
    from lib.app.tables import text_px

    assert text_px("29\u202f384") < text_px("29 384") < text_px("29384") + 3
    assert abs(text_px("Habitants en zone blanche") - 154.9) < 1  # Chromium's measureText of the grid font


def test_map_component_matches_st_folium(monkeypatch):
    import streamlit_folium as sf

    from lib.core.fmt import FORMATTERS
    from lib.datasets import geometry
    from lib.render import maps

    table = unemp.department_table(unemp.for_region(SHARED.unemployment()[0], SHARED.region), SHARED.region, "2025-T3")
    deps = SHARED.departements().merge(table, on="code")
    deps = deps.assign(taux_txt=deps["taux"].map(FORMATTERS["pct"]))
    fmap = maps.choropleth(geometry.to_geojson(deps, ["code", "departement", "taux", "taux_txt"]), maps.bounds_of(deps),
                           "taux", maps.equal_classes(table["taux"], "%"), "Taux", ["code", "taux_txt"], ["Code", "Taux"])
    captured = {}
    monkeypatch.setattr(sf, "_component_func", lambda **kw: captured.update(kw))
    ours = present.map_component(copy.deepcopy(fmap), "unemployment_map", 470, [])
    sf.st_folium(copy.deepcopy(fmap), height=470, use_container_width=True, returned_objects=[], key="unemployment_map")
    captured.pop("on_change")
    assert ours == captured
