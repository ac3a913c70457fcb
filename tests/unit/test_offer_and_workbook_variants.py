"""The training offer (LHEO) and the Insee workbook: legitimate variants give the same figures,
hostile files are refused in French, and what is set aside is said."""
from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest

from lib.core.config import DEMO, RAW
from lib.core.errors import DataError
from lib.datasets import geometry, offer_in_use
from lib.datasets.territory import region as region_of
from lib.indicators import unemployment
from lib.indicators import white_zones as wz
from lib.sources import chomage, lheo
from tests.conftest import FIXTURES, zipped

CLEAN_XML = (DEMO / "offre_demo_84.xml").read_bytes()


def _white(data: bytes, name: str) -> tuple[pd.DataFrame, object]:
    sessions, report, _, is_demo = offer_in_use.load_offer("84", data, name)
    assert not is_demo
    communes = geometry.communes("84")[["code", "name", "dep", "population", "lon", "lat"]]
    return wz.nearest_sessions(communes, wz.OfferFilter().apply(sessions), 30.0), report


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return _white(CLEAN_XML, "offre.xml")[0]



def _split_in_two(xml: bytes) -> tuple[bytes, bytes]:
    text = xml.decode("utf-8")
    head, body = text.split("<offres>", 1)
    body, tail = body.rsplit("</offres>", 1)
    formations = re.findall(r"<formation .*?</formation>", body, flags=re.S)
    half = len(formations) // 2
    make = lambda part: (head + "<offres>" + "".join(part) + "</offres>" + tail).encode()  # noqa: E731
    return make(formations[:half]), make(formations[half:])


VARIANTS = {
    "zip": lambda: zipped({"export.xml": CLEAN_XML}),
    "zip_en_deux_fichiers": lambda: zipped({**dict(zip(["partie1.xml", "partie2.xml"], _split_in_two(CLEAN_XML))),
                                            "lisezmoi.txt": b"export du jour"}),
    "espace_de_noms_lheo_gouv_2_3": lambda: CLEAN_XML.replace(b"http://www.lheo.org/2.2", b"http://lheo.gouv.fr/2.3"),
    "utf16": lambda: CLEAN_XML.decode("utf-8").replace("encoding='UTF-8'", "encoding='UTF-16'").encode("utf-16"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_legitimate_offer_variant_gives_the_same_white_zones(variant, reference):
    data = VARIANTS[variant]()
    table, report = _white(data, "offre.zip" if data[:2] == b"PK" else "offre.xml")
    pd.testing.assert_frame_equal(table, reference)
    if variant == "zip_en_deux_fichiers":
        assert "Archive : 2 fichier(s) XML lu(s), 1 autre(s) fichier(s) ignoré(s)." in report.notes


def test_the_reference_is_not_vacuous(reference):
    assert 0 < reference["white"].sum() < len(reference)


def test_swapped_or_foreign_coordinates_are_set_aside_and_the_place_located_by_commune():
    text = CLEAN_XML.decode("utf-8")
    pattern = re.compile(r"<latitude>([\d.]+)</latitude><longitude>([\d.]+)</longitude>")
    matches = pattern.findall(text)
    assert len(matches) > 20
    swapped = pattern.sub(lambda m: f"<latitude>{m.group(2)}</latitude><longitude>{m.group(1)}</longitude>", text, count=10)
    foreign = pattern.sub("<latitude>40.71</latitude><longitude>-74.0</longitude>", swapped, count=5)
    lambert = pattern.sub("<latitude>6520000</latitude><longitude>842000</longitude>", foreign, count=3)
    dropped = pattern.sub("", text, count=10)  # the same places with no coordinates at all
    ours, report = _white(lambert.encode(), "offre.xml")
    expected, _ = _white(dropped.encode(), "offre.xml")
    pd.testing.assert_frame_equal(ours, expected)
    warning = " ".join(report.warnings)
    assert "latitude et longitude inversées" in warning and "hors de France" in warning and "Lambert-93" in warning


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("<?xml version='1.0' encoding='UTF-16'?><!DOCTYPE lheo [<!ENTITY a 'x'>]><lheo/>".encode("utf-16"), "DTD"),
        (b"<?xml version='1.0'?><autre xmlns='http://example.org/'/>", "n'est pas un fichier LHEO"),
        (b"", "vide"),
    ],
)
def test_hostile_offers_are_refused_in_french(data, message):
    with pytest.raises(DataError, match=message):
        lheo.read_lheo(data, "offre.xml")


def test_archive_bomb_is_refused_before_parsing(tmp_path):
    bomb = tmp_path / "bombe.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("offre.xml", "w") as member:
        member.write(b"<?xml version='1.0'?><lheo xmlns='http://www.lheo.org/2.2'><offres>")
        chunk = b"<!-- " + b"x" * (1024**2 - 10) + b" -->"
        for _ in range(70):
            member.write(chunk)
        member.write(b"</offres></lheo>")
    assert bomb.stat().st_size < 2 * 1024**2
    with pytest.raises(DataError, match="taux de compression anormal"):
        lheo.read_lheo(bomb)


# --- Insee workbook -----------------------------------------------------------------------------

INSEE = RAW / "chomage_localise_insee" / "sl_etc_2025T3.xls"


def _workbook(frame: pd.DataFrame, sheet: str = "Département") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet, index=False, header=False)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def insee_rows() -> pd.DataFrame:
    return pd.read_excel(FIXTURES / "unemployment" / "insee_complet.xlsx", header=None, dtype=object, engine="calamine")


def test_an_xls_named_xlsx_is_read_by_content():
    tidy, _ = chomage.read_unemployment(INSEE.read_bytes(), "edition.xlsx")
    clean, _ = chomage.read_unemployment(INSEE)
    pd.testing.assert_frame_equal(tidy, clean)


def test_a_sheet_named_departements_is_accepted(insee_rows):
    reference, _ = chomage.read_unemployment(_workbook(insee_rows), "insee.xlsx")
    renamed, _ = chomage.read_unemployment(_workbook(insee_rows, "Departements"), "insee.xlsx")
    pd.testing.assert_frame_equal(renamed, reference)


def test_rates_written_as_fractions_are_refused(insee_rows):
    fractions = insee_rows.copy()
    fractions.iloc[4:7, 2:] = fractions.iloc[4:7, 2:].astype(float) / 100
    with pytest.raises(DataError, match="fraction"):
        chomage.read_unemployment(_workbook(fractions), "insee.xlsx")


def test_a_missing_department_of_the_region_is_named():
    tidy, report = chomage.read_unemployment(INSEE)
    region = region_of("84")
    unemployment.check_region(tidy[~tidy["code"].eq("69")], region, report)
    assert any("Rhône" in w for w in report.warnings)
