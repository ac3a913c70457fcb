"""Memoised views (lib/app/views.py): same output as the direct computation, bounded caches, uploads
kept in their session only and released with it."""
from __future__ import annotations

import copy
import gc
import json
import weakref

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.app import loaders, views
from lib.indicators import pathways as pw
from lib.indicators import unemployment as unemp
from lib.render import charts
from tests.conftest import FIXTURES

REGION = "84"


class FakeSession(dict):
    """Stands for ``st.session_state`` outside a script run."""


@pytest.fixture
def session(monkeypatch):
    state = FakeSession()
    monkeypatch.setattr(views.st, "session_state", state)
    monkeypatch.setattr(loaders.st, "session_state", state)
    return state


def test_views_equal_direct_computation():
    region = loaders.region(REGION)
    tidy = unemp.for_region(loaders.unemployment()[0], region)
    quarter = unemp.quarters(tidy)[-1]
    table, _ = views.unemployment_table_and_map(REGION, quarter)
    pd.testing.assert_frame_equal(table, unemp.department_table(tidy, region, quarter))

    records, _, denominators, _, _ = loaders.training_records(REGION)
    year = int(records["year"].max())
    selection = pw.Selection(year=year, deps=("01", "69"))
    for _ in range(2):  # computed, then a cache hit
        page = views.pathway_page(REGION, year, ("01", "69"), (), (), "Source")
        pd.testing.assert_frame_equal(page["by_public"], pw.rates_by(records, denominators, selection, ["public"]))
        pd.testing.assert_frame_equal(page["by_pathway"], pw.rates_by(records, denominators, selection, ["pathway_type"]))
        cross = pw.rates_by(records, denominators, selection, ["public", "pathway_type"])
        for indicator, (table, spec) in page["heat"].items():
            pd.testing.assert_frame_equal(table, cross[cross["indicator"].eq(indicator)])
            assert spec["description"].startswith(pw.INDICATOR_LABELS[indicator])
        assert len(page["public_charts"]) == len(set(page["by_public"]["indicator"]))


def test_chart_spec_is_memoised_and_equal_to_direct():
    series = unemp.series(unemp.for_region(loaders.unemployment()[0], loaders.region(REGION)),
                          loaders.region(REGION), ["01", "03"], "2020-T1")
    first = views.chart(charts.unemployment_lines, series, "Titre", "Source")
    again = views.chart(charts.unemployment_lines, series, "Titre", "Source")
    assert first == again and first is not again  # a copy of the shared spec each time
    assert first == views.chart_spec(charts.unemployment_lines(series, "Titre", "Source"))
    other = views.chart(charts.unemployment_lines, series.iloc[:5], "Titre", "Source")
    assert other != first  # data are part of the key


def _draw_both() -> None:
    import pandas as pd
    import streamlit as st

    from lib.app import views
    from lib.render import charts

    data = pd.DataFrame({"serie": ["a", "a", "b"], "level": ["departement", "region", "departement"],
                         "quarter": ["2024-T1", "2024-T2", "2024-T1"],
                         "date": pd.to_datetime(["2024-01-01", "2024-04-01", "2024-01-01"]), "rate": [7.1, 7.3, 6.0]})
    st.altair_chart(charts.unemployment_lines(data, "Titre", "Source"), width="stretch")
    views.show_chart(views.chart_spec(charts.unemployment_lines(data, "Titre", "Source")))


def test_vega_lite_from_spec_draws_what_altair_chart_draws():
    at = AppTest.from_function(_draw_both).run()
    assert not at.exception
    direct, memoised = at.get("vega_lite_chart")
    # The same chart, except that the memoised spec hides its marks from the accessibility tree
    # (the chart is one image named by its description, lib/views.hide_marks_from_aria).
    import json

    from lib.app import views
    from lib.render.charts import narrow_subtitles  # and gives its subtitle a narrow-screen form (reflow, RGAA 10.11)

    assert json.loads(memoised.proto.spec) == narrow_subtitles(views.hide_marks_from_aria(json.loads(direct.proto.spec)))
    assert json.loads(memoised.proto.spec)["mark"]["aria"] is False
    direct.proto.spec = memoised.proto.spec = ""
    assert direct.proto == memoised.proto


def _tables_both_ways() -> None:
    import pandas as pd
    import streamlit as st

    from lib.app import ui, views

    table = pd.DataFrame({"dep": ["01", "69", "2A"], "name": ["Ain", "Rhône", "Corse-du-Sud"],
                          "population": [671937, 1900000, None], "rate": [0.0712, 0.1, float("nan")]})
    formats, labels = {"population": "int", "rate": "pct_fraction"}, {"dep": "Code", "rate": "Taux"}
    # show_table sizes each column to its header and longest display string (views.column_widths)
    from streamlit import dataframe_util

    widths = views.column_widths(dataframe_util.convert_pandas_df_to_arrow_bytes(table.rename(columns=labels)),
                                 views._styler_proto(table, formats, labels))
    config = {column: st.column_config.Column(width=pixels) for column, pixels in widths.items()}
    left, right = st.columns(2)
    with left:
        st.dataframe(ui.styled(table, formats, labels), hide_index=True, width="stretch", height=300, placeholder="–",
                     column_config=config)
    with right:
        views.show_table(table, formats, labels, height=300)
        views.show_table(table, formats, labels, height=300)  # second time: from the memo
    st.dataframe(ui.styled(table, formats, labels), width=400, placeholder="–", column_config=config)
    views.show_table(table, formats, labels, hide_index=None, width=400)
    # a shorter header (its label as tooltip), a set width, a pinned column, taller rows
    st.dataframe(ui.styled(table, formats, labels), hide_index=True, width="stretch", placeholder="–", row_height=70,
                 column_config={**config, "population": st.column_config.Column(label="Pop.", help="population", width=75),
                                "name": st.column_config.Column(width=90, pinned=True)})
    views.show_table(table, formats, labels, short={"population": "Pop."}, widths={"name": 90}, pin="name",
                     row_height=70)


def test_show_table_draws_what_st_dataframe_of_a_styler_draws():
    at = AppTest.from_function(_tables_both_ways).run()
    assert not at.exception
    direct, memoised, again, direct_plain, memoised_plain, direct_options, memoised_options = at.dataframe
    for a, b in ((direct, memoised), (direct, again), (direct_plain, memoised_plain), (direct_options, memoised_options)):
        a.proto.arrow_data.styler.uuid = b.proto.arrow_data.styler.uuid = ""  # pandas draws a random one
        assert a.proto == b.proto
    pd.testing.assert_frame_equal(memoised.value, direct.value)
    assert list(memoised.value.columns) == ["Code", "name", "population", "Taux"]
    # the French display strings travel with the numbers (sorting stays numeric)
    from streamlit import dataframe_util

    shown = dataframe_util.convert_arrow_bytes_to_pandas_df(memoised.proto.arrow_data.styler.display_values)
    assert shown.iloc[0, 3] == "7,1\u202f%" and shown.iloc[2, 2] == "–"
    widths = {k: v["width"] for k, v in json.loads(memoised.proto.columns).items() if "width" in v}
    # « Corse-du-Sud » (81 px in Source Sans 14 px) and « 1 900 000 » set their columns, plus padding; « Code » its header
    assert widths == {"Code": 53, "name": 103, "population": 87, "Taux": 60}


def test_column_widths_follow_the_longest_string():
    assert views.text_px("29\u202f384") < views.text_px("29 384") < views.text_px("29384") + 3
    assert abs(views.text_px("Habitants en zone blanche") - 154.9) < 1  # Chromium's measureText of the grid font


def _table_of_an_upload() -> None:
    import pandas as pd

    from lib.app import views

    views.show_table(pd.DataFrame({"dep": ["01"], "taux": [7.5]}), {"taux": "pct"}, upload="digest-of-an-upload")


def test_show_table_keeps_an_uploaded_table_in_its_session_only(monkeypatch):
    monkeypatch.setattr(views, "_chart_store", type(views._chart_store)())
    at = AppTest.from_function(_table_of_an_upload).run()
    assert not at.exception and len(at.dataframe) == 1
    assert len(views._chart_store) == 0  # nothing shared
    memo = at.session_state[views.SESSION_KEY]
    assert [k for k in memo if k[0] == "digest-of-an-upload"]  # memoised in the session, released with it


def test_map_component_matches_st_folium(monkeypatch):
    import streamlit_folium as sf

    _, args = views.unemployment_table_and_map(REGION, "2025-T3")
    captured = {}
    monkeypatch.setattr(sf, "_component_func", lambda **kw: captured.update(kw))
    fmap = _unemployment_map()
    ours = views.map_component(copy.deepcopy(fmap), "unemployment_map", 470, [])
    sf.st_folium(copy.deepcopy(fmap), height=470, use_container_width=True, returned_objects=[], key="unemployment_map")
    captured.pop("on_change")
    assert ours == captured
    assert args["script"] and args["key"]


def _unemployment_map():
    from lib.app import ui
    from lib.datasets import geometry
    from lib.render import maps

    region = loaders.region(REGION)
    table = unemp.department_table(unemp.for_region(loaders.unemployment()[0], region), region, "2025-T3")
    deps = loaders.departements(REGION).merge(table, on="code")
    deps = deps.assign(taux_txt=deps["taux"].map(ui.FORMATTERS["pct"]))
    return maps.choropleth(geometry.to_geojson(deps, ["code", "departement", "taux", "taux_txt"]), maps.bounds_of(deps),
                           "taux", maps.equal_classes(table["taux"], "%"), "Taux", ["code", "taux_txt"], ["Code", "Taux"])


def test_every_shared_view_is_bounded():
    found = [v for v in vars(views).values() if callable(v) and hasattr(v, "shared")]
    assert len(found) >= 15
    for view in found:
        assert 0 < view.max_entries <= 64, view.__name__
    assert 0 < views.CHART_ENTRIES <= 1024


def test_chart_store_is_bounded(monkeypatch):
    monkeypatch.setattr(views, "CHART_ENTRIES", 3)
    monkeypatch.setattr(views, "_chart_store", type(views._chart_store)())
    for n in range(6):
        views.chart(charts.gauge, n / 10, 0.15, "Titre", "Sous-titre")
    assert len(views._chart_store) == 3


def test_session_memo_is_bounded(session):
    for n in range(views.SESSION_ENTRIES + 5):
        views.session_memo(("k", n), lambda n=n: n)
    assert len(session[views.SESSION_KEY]) == views.SESSION_ENTRIES
    assert ("k", views.SESSION_ENTRIES + 4) in session[views.SESSION_KEY]


def test_upload_stays_in_its_session_and_is_released_with_it(session):
    data = (FIXTURES / "unemployment" / "insee_complet.xlsx").read_bytes()
    tidy, _ = loaders.unemployment(data, "insee_complet.xlsx")
    assert loaders.unemployment(data, "insee_complet.xlsx")[0] is tidy  # read once per session
    loaders.import_file("unemployment", data, "insee_complet.xlsx")
    quarters = views.unemployment_quarters(REGION, upload=loaders.workspace_key())
    assert quarters == unemp.quarters(unemp.for_region(tidy, loaders.region(REGION)))
    # Nothing of the upload went into a shared cache: the shared view has no entry for it.
    assert views.unemployment_quarters(REGION) == unemp.quarters(
        unemp.for_region(loaders.unemployment()[0], loaders.region(REGION)))
    held = weakref.ref(tidy)
    memo = weakref.ref(session[views.SESSION_KEY])
    del tidy
    session.clear()  # what Streamlit does with a session's state when the session ends
    gc.collect()
    assert held() is None and memo() is None


def test_another_session_does_not_see_an_upload(session):
    data = (FIXTURES / "unemployment" / "insee_complet.xlsx").read_bytes()
    loaders.unemployment(data, "insee_complet.xlsx")
    loaders.import_file("unemployment", data, "insee_complet.xlsx")
    session.clear()  # a fresh session
    assert loaders.imported_files() == {} and loaders.workspace_key() is None
    assert loaders.session_unemployment()[1].source.endswith("(sl_etc_2025T3.xls)")  # the provided edition


def test_records_upload_is_read_again_when_the_observation_date_changes(session):
    data = (FIXTURES / "records" / "small_records.csv").read_bytes()
    early, late = pd.Timestamp("2022-01-31"), pd.Timestamp("2023-06-30")
    first = loaders.training_records(REGION, data, "small_records.csv", None, None, early)
    assert loaders.training_records(REGION, data, "small_records.csv", None, None, early) is first  # once per session
    later = loaders.training_records(REGION, data, "small_records.csv", None, None, late)
    assert later is not first and later[1].meta["as_of"] == late and first[1].meta["as_of"] == early
    key_early = loaders.records_digest(data, "small_records.csv", None, None, early)
    key_late = loaders.records_digest(data, "small_records.csv", None, None, late)
    assert key_early != key_late != loaders.records_digest(data, "small_records.csv")
    # The views read the session's workspace: the imported file at the session's observation date,
    # and the workspace key changes with the date.
    loaders.import_file("records", data, "small_records.csv")
    loaders.set_records_as_of(early)
    key_early = loaders.workspace_key()
    assert views.records_years(REGION, upload=key_early) == sorted(int(y) for y in first[0]["year"].unique())
    loaders.set_records_as_of(late)
    key_late = loaders.workspace_key()
    assert key_late != key_early
    assert views.records_years(REGION, upload=key_late) == sorted(int(y) for y in later[0]["year"].unique())
    # Nothing of it reached a shared cache.
    assert not any(key_late in str(k) for k in views._chart_store)


def test_view_calls_are_keyed_with_their_defaults_filled_in(session):
    calls = []

    @views.view(max_entries=4)
    def probe(code: str, qpv_list: str = "2024", upload: str | None = None) -> int:
        calls.append((code, qpv_list, upload))
        return len(calls)

    # Streamlit keys a call on its arguments as written: the three spellings must be one entry.
    assert probe("84") == probe("84", "2024") == probe("84", qpv_list="2024") == 1
    assert probe("84", "2015") == 2
    assert probe("84", upload="digest") == probe("84", "2024", upload="digest") == 3  # same in the session
    assert calls == [("84", "2024", None), ("84", "2015", None), ("84", "2024", "digest")]


def test_views_follow_the_qpv_list():
    for key in ("2024", "2015"):
        tables = views.coverage_tables(REGION, key)
        pd.testing.assert_frame_equal(tables["coverage"], loaders.coverage_table(REGION, key))
    assert (views.coverage_tables(REGION, "2024")["coverage"]["qpv_count"].sum()
            != views.coverage_tables(REGION, "2015")["coverage"]["qpv_count"].sum())
    # The quarters' Insee indicators exist for the 2015 list only, whatever list the page shows.
    evolution = views.qpv_evolution(REGION, 2017, 2022, ())["table"]
    assert set(evolution["code"]) <= set(loaders.territories(REGION, "2015").qpv["code"])
    sheet_2015 = views.department_sheet(REGION, "69", "2015")["figures"]
    assert sheet_2015.qpv_list == "liste 2015"
