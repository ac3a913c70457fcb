"""ZRR and FRR readers, and their carry-over onto the COG 2026 communes: nothing lost."""
from __future__ import annotations

import pytest

from lib.core.errors import DataError
from lib.sources import cog, zonages
from lib.sources.cog_mapping import carry_over

ARA = ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"]
ZRR_PER_DEP = {"01": (21, 372, 0), "03": (284, 33, 0), "07": (212, 123, 0), "15": (235, 11, 0), "26": (224, 140, 0),
               "38": (61, 451, 0), "42": (66, 257, 0), "43": (236, 21, 0), "63": (313, 151, 0), "69": (7, 259, 1),
               "73": (34, 239, 0), "74": (0, 279, 0)}


@pytest.fixture(scope="module")
def communes():
    table = cog.read_communes()
    return table[table["dep"].isin(ARA)].reset_index(drop=True)


def _dep(code: str) -> str:
    return code[:2]


def test_zrr_counts_on_cog_2021():
    zrr, report = zonages.read_zrr()
    assert report.rows_read == 34965 and report.rows_rejected == 0
    ara = zrr[zrr["code"].map(_dep).isin(ARA) & ~zrr["code"].str.startswith("97")]
    counts = ara.groupby([ara["code"].map(_dep), "zone"]).size().unstack(fill_value=0)
    assert {d: (r.get("C", 0), r.get("NC", 0), r.get("P", 0)) for d, r in counts.iterrows()} == ZRR_PER_DEP


def test_frr_counts_on_cog_2025():
    frr, _ = zonages.read_frr()
    ara = frr[frr["code"].map(_dep).isin(ARA)]
    assert ara["zone"].value_counts().to_dict() == {"nc": 2108, "socle": 1610, "plus": 154, "beneficiaire": 151,
                                                    "beneficiaire_partiel": 2}


@pytest.mark.parametrize(("reader", "partial"), [(zonages.read_zrr, "P"), (zonages.read_frr, "partiel")])
def test_carry_over_conserves_communes_and_population(communes, reader, partial):
    zoning, _ = reader()
    mapped, conservation = carry_over(zoning, communes, partial=partial)
    assert len(mapped) == len(communes) == 4025 and mapped["zone"].notna().all()
    # Per department: every source commune lands in a commune of the same department,
    # every current commune has a class, and the population is entirely classified.
    assert (conservation["source_communes"] == conservation["source_mapped"]).all()
    assert (conservation["source_communes"] == conservation["source_mapped_here"]).all()
    assert (conservation["communes"] == conservation["communes_classified"]).all()
    assert (conservation["population"] == conservation["population_classified"]).all()
    assert conservation["population"].sum() == communes["population"].sum() == 8205557


def test_zrr_merges_and_restorations_follow_the_rule(communes):
    zrr, _ = zonages.read_zrr()
    mapped, _ = carry_over(zrr, communes, partial="P")
    by_code = mapped.set_index("code")
    assert by_code.loc["01187", ["zone", "rule"]].tolist() == ["P", "fusion_mixte"]  # Ruffieu (NC) merged into a classified commune
    assert by_code.loc["15031", ["zone", "rule"]].tolist() == ["C", "retablie"]  # Celles, from Neussargues en Pinatelle
    assert by_code.loc["69114", "rule"] == "code_modifie"
    assert mapped["zone"].value_counts().to_dict() == {"NC": 2330, "C": 1693, "P": 2}


def test_zrr_bad_input():
    with pytest.raises(DataError, match="ligne d'en-tête « CODGEO… » introuvable"):
        zonages.read_zrr(b"Code_insee;Commune\n01001;X\n", "zrr.csv")
    with pytest.raises(DataError, match="séparateur « ; » attendu"):
        zonages.read_frr(b"Code_insee,Commune,Classement\n01001,X,FRR socle\n", "frr.csv")


def test_frr_unknown_class_is_rejected_and_counted():
    text = "Code_insee;Departement;Commune;Classement FRR et FRR+ au 10 juillet 2025;\n01001;01;A;FRR socle;\n1002;01;B;Zone bleue;\n"
    frr, report = zonages.read_frr(text.encode(), "frr.csv")
    assert frr["code"].tolist() == ["01001"]
    assert report.rejected["classement FRR inconnu"] == 1
