"""Page Territoires prioritaires: QPV, ZRR and FRR coverage per department and commune."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import loaders, share, ui, views
from lib.core.fmt import fr_int, fr_pct
from lib.indicators import coverage

region = loaders.region()
st.title("Territoires prioritaires")
st.caption(f"Région : {region.name} ({region.code}) — quartiers prioritaires de la politique de la ville (QPV) "
           "et zones de revitalisation rurale (ZRR, remplacées par France Ruralités Revitalisation, FRR, au 1er juillet 2024).")

ZONINGS = views.ZONINGS
years = loaders.qpv_vintages("IPRO")
PARAMS = [share.Param("qpv_list", "qpv", default=coverage.DEFAULT_QPV_LIST, shared=True),
          share.Param("zoning", "zonage", default="FRR 2025"),
          share.Param("coverage_indicator", "carte", default="population_zonage"),
          share.Param("qpv_start", "debut", "int", default=years[0]), share.Param("qpv_end", "fin", "int", default=years[-1]),
          share.Param("qpv_deps", "deps", "list", default=[])]
share.restore(PARAMS, {"qpv_list": list(coverage.QPV_LISTS), "zoning": list(ZONINGS), "coverage_indicator": ["population_zonage", "population_qpv"],
                       "qpv_start": years, "qpv_end": years, "qpv_deps": region.dep_codes})
left, right = st.columns([1.4, 1])
qpv_key = left.segmented_control("Liste des QPV", list(coverage.QPV_LISTS), key="qpv_list",
                                 format_func=lambda k: coverage.QPV_LISTS[k].label,
                                 help="2024 : liste en vigueur depuis le 1er janvier 2024 (décret n° 2023-1314), "
                                      "population RP 2020. 2015 : liste de la période du Pacte 2019-2022, "
                                      "population RP 2018 (fichiers Insee 2022).") or coverage.DEFAULT_QPV_LIST
choice = right.segmented_control("Zonage rural", list(ZONINGS), key="zoning") or "FRR 2025"
zoning = ZONINGS[choice]
qpv_list = coverage.QPV_LISTS[qpv_key]
terr = loaders.territories(region.code, qpv_key)
tables = views.coverage_tables(region.code, qpv_key)
table = tables["coverage"]
st.info(f"**Quartiers prioritaires : {qpv_list.short}** — " + (
    f"liste en vigueur depuis le 1er janvier 2024, {fr_int(len(terr.qpv))} quartiers dans la région, population du "
    f"recensement {qpv_list.census}." if qpv_key == "2024" else
    f"liste de la période du Pacte 2019-2022 (remplacée au 1er janvier 2024), {fr_int(len(terr.qpv))} quartiers "
    f"dans la région, population du recensement {qpv_list.census} (fichier Insee {terr.qpv_vintages[-1]})."),
    icon=":material/location_city:")
zoning_source = "frr_2025_dgcl" if zoning == "frr" else "zrr_2017_2021_anct"

st.header("Par département")
MAP_CHOICES = views.coverage_map_choices(choice, qpv_key)
map_choice = st.radio("Indicateur sur la carte", list(MAP_CHOICES), horizontal=True, key="coverage_indicator",
                      format_func=MAP_CHOICES.get)
indicator = MAP_CHOICES[map_choice]
# the table under the map: beside it (430 px at 1366 px) its columns were cut
left = right = st.container()
with left:
    st.subheader(indicator, anchor=False)
    views.show_map(views.coverage_map(region.code, choice, map_choice, qpv_key), key="coverage_map")
with right:
    views.show_table(tables[f"{zoning}_shown"], height=500, name=f"{indicator} — par département")
    ui.csv_download(table.assign(qpv_list=qpv_key), f"couverture_{region.code}_qpv{qpv_key}.csv",
                    "Télécharger le tableau complet (CSV)", demo=False)
ui.source_caption(qpv_list.dataset, zoning_source, "decoupage_admin_etalab",
                  extra=f"Population des QPV : recensement {qpv_list.census}"
                        + (f" (fichier Insee {terr.qpv_vintages[-1]})" if terr.qpv_vintages else "")
                        + f" ; population des communes et des départements : {coverage.POPULATION_LABEL}, "
                          f"fichier COG 2026. {choice[:3]} : commune classée, même partiellement.")

with st.expander(f"Détail des classes {choice}"):
    views.show_table(tables[f"{zoning}_pivot"], name=f"Détail des classes {choice}")
    ui.csv_download(tables[zoning], f"classes_{zoning}_{region.code}.csv", demo=False)

reference = loaders.reference_table("pact_ara_2019", "qpv.csv").set_index("indicator")
if qpv_key == "2024" and loaders.catalog()["insee_ara_qpv_2024"].covers(region.code):
    st.header("Population des QPV : la liste 2024, le chiffre publié et le calcul")
    published = loaders.reference_table("insee_ara_qpv_2024", "qpv.csv").set_index("indicator")
    total = table.set_index("dep").loc["TOTAL"]
    c1, c2, c3 = st.columns(3)
    c1.metric("Publié (Insee, RP 2020)", f"{fr_int(int(published.loc['qpv_population', 'value']))} hab.",
              f"{published.loc['qpv_count', 'value']} quartiers ; {fr_pct(float(published.loc['qpv_share', 'value']))} "
              "des habitants", delta_color="off")
    c2.metric("Calcul, liste 2024 (RP 2020)", f"{fr_int(total['qpv_population'])} hab.",
              f"{fr_int(total['qpv_count'])} quartiers ; {fr_pct(total['qpv_share'], fraction=True)} de la population "
              "légale 2023", delta_color="off")
    c3.metric("Pacte, liste 2015 (atlas CGET 2017)", f"{fr_int(int(reference.loc['qpv_population', 'value']))} hab.",
              f"{reference.loc['qpv_count', 'value']} quartiers", delta_color="off")
    st.markdown(
        "Le calcul somme la population de chaque quartier une seule fois (un quartier sur deux communes n'est pas compté "
        f"deux fois) : {fr_int(total['qpv_population'])} habitants, que la publication arrondit à "
        f"{fr_int(int(published.loc['qpv_population', 'value']))}. La part publiée "
        f"({fr_pct(float(published.loc['qpv_share', 'value']))}) rapporte cette population à celle de la région au même "
        "recensement (2020) ; le tableau de bord la rapporte à la population légale la plus récente (millésime 2023), "
        f"d'où {fr_pct(total['qpv_share'], fraction=True)}. Le chiffre du Pacte porte sur l'ancienne liste (2015) : "
        "choisir « 2015 » pour le comparer à son calcul."
    )
    ui.source_caption("insee_ara_qpv_2024", "qpv_2024", "pact_ara_2019")
if qpv_key == "2015" and loaders.catalog()["pact_ara_2019"].covers(region.code):
    st.header("Population des QPV : le chiffre du Pacte et le calcul")
    total = table.set_index("dep").loc["TOTAL"]
    c1, c2, c3 = st.columns(3)
    c1.metric("Pacte (atlas CGET 2017)", f"{fr_int(int(reference.loc['qpv_population', 'value']))} hab.",
              f"{reference.loc['qpv_count', 'value']} quartiers", delta_color="off")
    c2.metric(f"Fichier Insee {terr.qpv_vintages[0]} (RP {terr.qpv_vintages[0] - 4})", f"{fr_int(terr.qpv['pop_first'].sum())} hab.",
              f"{len(terr.qpv)} quartiers", delta_color="off")
    c3.metric(f"Fichier Insee {terr.qpv_vintages[1]} (RP {terr.qpv_vintages[1] - 4})", f"{fr_int(total['qpv_population'])} hab.",
              f"{fr_pct(total['qpv_share'], fraction=True)} de la population légale 2023", delta_color="off")
    st.markdown(
        "Les trois chiffres portent sur les mêmes 140 quartiers (liste 2015). Le Pacte cite l'atlas du CGET de 2017, "
        "établi sur le recensement de 2013 avec les contours de quartiers de l'époque ; le fichier Insee 2017, sur le "
        "même recensement, compte 300 habitants de plus (411 430), écart qui tient aux révisions de contours et au "
        "carroyage utilisés par Insee pour ses diffusions. Le fichier 2022 repose sur le recensement de 2018 : la "
        "population des quartiers a baissé de 2 %. La part est rapportée ici à la population légale la plus récente."
    )
    ui.source_caption("pact_ara_2019", "qpv_2015_insee_indicators")

st.header("Par commune")
latest_ipro = loaders.qpv_vintages("IPRO")[-1]
views.show_map(views.commune_zoning_map(region.code, zoning, choice, qpv_key), key="communes_map")
if qpv_key == "2024":
    ui.source_caption(zoning_source, "qpv_2024", "geo",
                      extra="Quartiers : contours de la liste 2024, simplifiés, issus d'une copie du fichier de l'ANCT ; "
                            "population RP 2020 (Insee) au survol.")
else:
    ui.source_caption(zoning_source, "qpv_2015_insee_indicators", "geo",
                      extra=f"Liste 2015 : contours non fournis, cercles sur les communes hôtes ; indicateurs des "
                            f"quartiers : fichier IPRO {latest_ipro}.")

with st.expander("Tableau des communes"):
    commune_table = tables["communes"]
    views.show_table(tables["communes_shown"], height=360, pin="Commune", name="Tableau des communes")
    ui.csv_download(commune_table, f"communes_zonages_{region.code}_qpv{qpv_key}.csv", demo=False)

st.header("Quartiers de la liste 2015 : indicateurs Insee")
st.caption("Les fichiers d'indicateurs d'Insee par quartier (insertion professionnelle, revenus) fournis ici portent sur "
           "la liste 2015 : cette section la garde quel que soit le choix ci-dessus. Pour la liste 2024, seule la "
           "population (RP 2020) est reprise ; les autres colonnes du fichier 2024 ne disent pas leur année de référence.")
c1, c2, c3 = st.columns([1, 1, 3])
start = c1.selectbox("Millésime de départ", years, key="qpv_start")
end = c2.selectbox("Millésime d'arrivée", years, key="qpv_end")
chosen_deps = c3.multiselect("Départements", region.dep_codes, format_func=region.dep_label,
                             placeholder="Tous les départements", key="qpv_deps", select_all=False)
query = share.persist(PARAMS)
evolution = views.qpv_evolution(region.code, start, end, tuple(chosen_deps))
views.show_table(evolution["shown"], height=420, pin="Quartier", name="Quartiers de la liste 2015 : indicateurs Insee")
st.caption("Cellules vides (–) : secret statistique ou donnée non diffusée par Insee, jamais remplacées par 0. "
           "DE ABC : demandeurs d'emploi inscrits en catégories A, B, C ; infra CAP-BEP : part de ceux dont le niveau "
           "de formation est inférieur au CAP-BEP.")
ui.csv_download(evolution["table"], f"qpv_indicateurs_{region.code}_{start}_{end}.csv", demo=False)
ui.source_caption("qpv_2015_insee_indicators")
share.share_box(query)
