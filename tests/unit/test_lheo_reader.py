"""LHEO reader on the three real examples, hand-made cases and hostile or broken inputs."""
from __future__ import annotations

import io
import zipfile

import pytest

from lib.core.config import RAW
from lib.core.errors import DataError
from lib.datasets import geometry
from lib.sources import cog, lheo, lheo_archive, lheo_places, lheo_values, lheo_xml
from tests.conftest import FIXTURES

EXAMPLES = RAW / "lheo"
BAD = FIXTURES / "lheo"


def test_lheo_22_example():
    frame, report = lheo.read_lheo(EXAMPLES / "exemple-bts-onisep.xml")
    assert report.rows_read == report.rows_kept == 1 and len(frame) == 1
    row = frame.iloc[0]
    assert row["format"] == "lheo-2.x" and row["action_id"] == "9436_18706"
    assert row["title"] == "BTS négociation et relation client"
    assert row["formacodes"] == "34582|34076" and row["nsf"] == "312" and row["nsf_source"] == "lheo"
    assert bool(row["certifying"]) and row["level_out"] == "6" and row["public_codes"] == "81061"
    assert row["commune"] == "29233" and row["postcode"] == "29391"
    assert row["lat"] == pytest.approx(47.882108) and row["lon"] == pytest.approx(-3.5526545)
    assert (row["start"], row["end"]) == ("2015-09-01", "2017-08-31")
    assert row["organisme"] == "Lycée Kerneuzec"


def test_lheo_13_example_reads_geolocation_extras_and_hours():
    frame, _ = lheo.read_lheo(EXAMPLES / "exemple-conseiller-insertion.xml")
    row = frame.iloc[0]
    assert row["format"] == "lheo-1.3" and row["nsf"] == "332" and row["formacodes"] == "44569"
    assert row["hours"] == 1260 and row["level_in"] == "5" and row["public_codes"] == "80011|80024"
    assert row["lat"] == pytest.approx(45.804363) and row["commune"] == "69286"
    assert row["organisme"] == "AFPA Rillieux" and (row["start_month"], row["end_month"]) == ("2008-04", "2008-08")


def test_light_format_example():
    frame, _ = lheo.read_lheo(EXAMPLES / "exemple-leger.xml")
    row = frame.iloc[0]
    assert row["format"] == "lheo-leger" and row["postcode"] == "69144" and row["hours"] == 1260
    assert bool(row["certifying"]) and row["lon"] == pytest.approx(4.887452)


def test_partial_dates_keep_the_month():
    assert lheo_values.parse_lheo_date("20170900") == ("2017-09", "2017-09")
    assert lheo_values.parse_lheo_date("20170915") == ("2017-09-15", "2017-09")
    assert lheo_values.parse_lheo_date("00000000") == ("", "")
    assert lheo_values.parse_lheo_date("20171300") == ("", "")


def test_zipped_xml_is_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(EXAMPLES / "exemple-leger.xml", "export/offre.xml")
    frame, report = lheo.read_lheo(buffer.getvalue(), "export.zip")
    assert len(frame) == 1 and "export.zip" in report.summary()


def test_places_without_coordinates_are_located_and_said_so():
    frame, report = lheo.read_lheo(BAD / "sans_coordonnees.xml")
    assert len(frame) == 3 and frame.loc[2, "start"] == ""  # an action without session keeps one row
    points = geometry.places("84")[["code", "lon", "lat"]]
    located, counts = lheo_places.locate(frame, points, cog.postcode_to_commune(cog.read_communes()))
    assert located["located_by"].tolist() == ["commune", "code_postal", "non_localise"]
    assert located.loc[1, "commune"] == "63113"  # 63000 -> Clermont-Ferrand
    assert counts.to_dict() == {"commune": 1, "code_postal": 1, "non_localise": 1}
    aurillac = points.set_index("code").loc["15014"]
    assert located.loc[0, "lat"] == pytest.approx(aurillac["lat"])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malforme.xml", "XML mal formé à la ligne 4"),
        ("vide.xml", "est vide"),
        ("autre_espace.xml", "n'est pas un fichier LHEO : élément racine « catalogue »"),
        ("mauvais_espace_lheo.xml", "espace de noms « http://example.org/pas-lheo »"),
        ("billion_laughs.xml", "déclaration DTD ou d'entités"),
        ("entite_externe.xml", "déclaration DTD ou d'entités"),
    ],
)
def test_bad_or_hostile_files_get_a_french_message(name, message):
    with pytest.raises(DataError, match=message):
        lheo.read_lheo(BAD / name)


def test_oversized_input_is_refused_before_reading(monkeypatch, tmp_path):
    monkeypatch.setattr(lheo_archive, "MAX_XML_BYTES", 1000)
    big = tmp_path / "gros.xml"
    big.write_bytes(b"<lheo>" + b" " * 2000 + b"</lheo>")
    with pytest.raises(DataError, match="dépasse 1000 octets"):
        lheo.read_lheo(big)


def test_zip_without_xml():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lisezmoi.txt", "rien")
    with pytest.raises(DataError, match="aucun fichier XML"):
        lheo.read_lheo(buffer.getvalue(), "export.zip")


def test_demo_offer_goes_through_the_real_reader():
    frame, report = lheo.read_lheo(RAW.parent / "demo" / "offre_demo_84.xml")
    assert report.rows_rejected == 0 and len(frame) > 3000
    assert set(frame["format"]) == {"lheo-2.x"}
    assert 0.3 < frame["certifying"].mean() < 0.8
    assert frame["lat"].isna().mean() > 0.05  # some places must be located by commune or postcode


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<lheo>\n<offres><formation>\n<action></formation></offres></lheo>",
         "« o.xml » : XML mal formé à la ligne 3, colonne 21 : balise ouvrante et fermante différentes "
         "(« action » ouverte à la ligne 3, fermée par « formation »)."),
        (b"<lheo xmlns='http://www.lheo.org/2.2'>\n<offres><formation>",
         "« o.xml » : XML mal formé à la ligne 2, colonne 20 : fin du fichier avant la fermeture d'une balise "
         "(fichier tronqué ?) : « formation » ouverte à la ligne 2 n'est pas fermée."),
        (b"<lheo><offres>Bac & BTS</offres></lheo>",
         "« o.xml » : XML mal formé à la ligne 1, colonne 20 : nom de balise ou d'entité manquant "
         "(un « & » ou un « < » non échappé ? écrire &amp; ou &lt;)."),
        (b"<lheo><offres>&nbsp;</offres></lheo>",
         "« o.xml » : XML mal formé à la ligne 1, colonne 21 : entité non définie : « nbsp »."),
        ("<?xml version='1.0' encoding='UTF-8'?>\n<lheo><offres>été</offres></lheo>".encode("latin-1"),
         "« o.xml » : XML mal formé à la ligne 2, colonne 15 : octets invalides pour l'encodage déclaré "
         "(indiquez le bon encodage dans la déclaration XML, par exemple encoding=\"ISO-8859-1\")."),
        (b"<lheo a='1' a='2'></lheo>", "« o.xml » : XML mal formé à la ligne 1, colonne 18 : "
         "attribut répété dans une même balise : « a »."),
    ],
)
def test_xml_errors_are_told_in_french_with_line_and_column(xml, message):
    with pytest.raises(DataError) as caught:
        lheo.read_lheo(xml, "o.xml")
    assert str(caught.value) == message


def test_an_untranslated_xml_error_keeps_its_place_and_drops_the_english(monkeypatch):
    monkeypatch.setattr(lheo_xml, "_XML_ERRORS", {})
    with pytest.raises(DataError) as caught:
        lheo.read_lheo(BAD / "malforme.xml")
    assert str(caught.value) == "« malforme.xml » : XML mal formé à la ligne 4, colonne 10."


def test_certifying_words_and_hours_with_a_unit_are_read_and_an_unreadable_value_is_said():
    text = (EXAMPLES / "exemple-bts-onisep.xml").read_text(encoding="utf-8")
    assert "<certifiante>1</certifiante>" in text
    frame, report = lheo.read_lheo(text.replace("<certifiante>1</certifiante>", "<certifiante>oui</certifiante>")
                                   .encode("utf-8"), "oui.xml")
    assert bool(frame.iloc[0]["certifying"]) and not report.warnings
    frame, report = lheo.read_lheo(text.replace("<certifiante>1</certifiante>", "<certifiante>peut-être</certifiante>")
                                   .encode("utf-8"), "illisible.xml")
    assert not bool(frame.iloc[0]["certifying"])
    assert any("valeur illisible" in w and "certifiante « peut-être »" in w for w in report.warnings)
    assert lheo_values._hours("235 h") == 235 and lheo_values._hours("1 260,5 heures".replace(" ", "", 1)) == 1260.5
    bad: list[str] = []
    assert lheo_values._hours("deux cents", bad) != lheo_values._hours("deux cents", bad) and bad  # NaN, and said


def test_places_opened_are_read_on_the_action_and_unknown_when_absent_or_unreadable():
    text = (EXAMPLES / "exemple-bts-onisep.xml").read_text(encoding="utf-8")
    frame, _ = lheo.read_lheo(text.encode("utf-8"), "sans.xml")
    assert frame["places"].isna().all() and frame.iloc[0]["session_no"] == "9436_18706"  # never 0 when absent
    written = text.replace("</action>", "<nombre-places>24</nombre-places></action>")
    frame, report = lheo.read_lheo(written.encode("utf-8"), "places.xml")
    assert frame["places"].tolist() == [24.0] and not report.warnings
    bad: list[str] = []
    assert lheo_values._places("12 places", "nb-places", bad) == 12 and lheo_values._places("12,0", "nb-places", bad) == 12
    assert lheo_values._places("", "nb-places", bad) != lheo_values._places("", "nb-places", bad) and not bad  # NaN
    assert lheo_values._places("12,5", "nb-places-financees", bad) != 12.5 and bad == ["nb-places-financees « 12,5 »"]
