"""Page Territoires prioritaires: QPV, ZRR and FRR coverage per department and commune."""
from lib.entry import through_app

through_app()
import streamlit as st

from lib import loaders, share, ui, views
from lib.fmt import fr_int, fr_pct

region = loaders.region()
st.title("Territoires prioritaires")
st.caption(f"Région : {region.name} ({region.code}) — quartiers prioritaires de la politique de la ville (QPV) "
           "et zones de revitalisation rurale (ZRR, remplacées par France Ruralités Revitalisation, FRR, au 1er juillet 2024).")

terr = loaders.territories(region.code)
tables = views.coverage_tables(region.code)
table = tables["coverage"]
ZONINGS = views.ZONINGS
years = loaders.qpv_vintages("IPRO")
PARAMS = [share.Param("zoning", "zonage", default="FRR 2025"),
          share.Param("coverage_indicator", "carte", default="population_zonage"),
          share.Param("qpv_start", "debut", "int", default=years[0]), share.Param("qpv_end", "fin", "int", default=years[-1]),
          share.Param("qpv_deps", "deps", "list", default=[])]
share.restore(PARAMS, {"zoning": list(ZONINGS), "coverage_indicator": ["population_zonage", "population_qpv"],
                       "qpv_start": years, "qpv_end": years, "qpv_deps": region.dep_codes})
choice = st.segmented_control("Zonage rural", list(ZONINGS), key="zoning") or "FRR 2025"
zoning = ZONINGS[choice]
zoning_source = "frr_2025_dgcl" if zoning == "frr" else "zrr_2017_2021_anct"

st.subheader("Par département")
MAP_CHOICES = views.coverage_map_choices(choice)
map_choice = st.radio("Indicateur sur la carte", list(MAP_CHOICES), horizontal=True, key="coverage_indicator",
                      format_func=MAP_CHOICES.get)
indicator = MAP_CHOICES[map_choice]
short = choice[:3]
left, right = st.columns([1, 1], gap="medium")
with left:
    st.markdown(f"**{indicator}**")
    views.show_map(views.coverage_map(region.code, choice, map_choice), key="coverage_map")
with right:
    labels = {"dep": "Code", "dep_name": "Département", "qpv_count": "QPV",
              "qpv_share": "Part en QPV", f"{zoning}_communes": f"Communes {short}", f"{zoning}_share": f"Part en {short}"}
    shown = table.assign(**{f"{zoning}_share": table[f"{zoning}_population"] / table["population"]})[list(labels)]
    st.dataframe(
        ui.styled(shown, {"qpv_count": "int", "qpv_share": "pct_fraction",
                          f"{zoning}_communes": "int", f"{zoning}_share": "pct_fraction"}, labels),
        hide_index=True, width="stretch", height=500,
    )
    ui.csv_download(table, f"couverture_{region.code}.csv", "Télécharger le tableau complet (CSV)")
ui.source_caption("qpv_2015_insee_indicators", zoning_source, "decoupage_admin_etalab",
                  extra=f"Population des QPV : recensement {terr.qpv_vintages[1] - 4} (fichier {terr.qpv_vintages[1]}) ; "
                        f"population des communes : populations légales les plus récentes (COG 2026). "
                        f"{choice[:3]} : commune classée, même partiellement.")

with st.expander(f"Détail des classes {choice}"):
    breakdown = tables[zoning]
    pivot = breakdown.pivot_table(index="dep", columns="classe", values="communes", fill_value=0).reset_index()
    st.dataframe(pivot, hide_index=True, width="stretch")
    ui.csv_download(breakdown, f"classes_{zoning}_{region.code}.csv")

reference = loaders.reference_table("pact_ara_2019", "qpv.csv").set_index("indicator")
if loaders.catalog()["pact_ara_2019"].covers(region.code):
    st.subheader("Population des QPV : le chiffre du Pacte et le calcul")
    total = table.set_index("dep").loc["TOTAL"]
    c1, c2, c3 = st.columns(3)
    c1.metric("Pacte (atlas CGET 2017)", f"{fr_int(int(reference.loc['qpv_population', 'value']))} hab.",
              f"{reference.loc['qpv_count', 'value']} quartiers", delta_color="off")
    c2.metric(f"Fichier Insee {terr.qpv_vintages[0]} (RP {terr.qpv_vintages[0] - 4})", f"{fr_int(terr.qpv['pop_first'].sum())} hab.",
              f"{len(terr.qpv)} quartiers", delta_color="off")
    c3.metric(f"Fichier Insee {terr.qpv_vintages[1]} (RP {terr.qpv_vintages[1] - 4})", f"{fr_int(total['qpv_population'])} hab.",
              f"{fr_pct(total['qpv_share'], fraction=True)} de la population 2026", delta_color="off")
    st.markdown(
        "Les trois chiffres portent sur les mêmes 140 quartiers (liste 2015). Le Pacte cite l'atlas du CGET de 2017, "
        "établi sur le recensement de 2013 avec les contours de quartiers de l'époque ; le fichier Insee 2017, sur le "
        "même recensement, compte 300 habitants de plus (411 430), écart qui tient aux révisions de contours et au "
        "carroyage utilisés par Insee pour ses diffusions. Le fichier 2022 repose sur le recensement de 2018 : la "
        "population des quartiers a baissé de 2 %. La part est rapportée ici à la population légale la plus récente."
    )
    ui.source_caption("pact_ara_2019", "qpv_2015_insee_indicators")

st.subheader("Par commune")
latest_ipro = loaders.qpv_vintages("IPRO")[-1]
views.show_map(views.commune_zoning_map(region.code, zoning, choice), key="communes_map")
ui.source_caption(zoning_source, "qpv_2015_insee_indicators", "geo",
                  extra=f"Indicateurs des quartiers : fichier IPRO {latest_ipro}.")

with st.expander("Tableau des communes"):
    commune_table = tables["communes"]
    st.dataframe(commune_table, hide_index=True, width="stretch", height=360,
                 column_config={"population": st.column_config.NumberColumn("Population", format="localized")})
    ui.csv_download(commune_table, f"communes_zonages_{region.code}.csv")

st.subheader("Quartiers prioritaires : indicateurs")
c1, c2, c3 = st.columns([1, 1, 3])
start = c1.selectbox("Millésime de départ", years, key="qpv_start")
end = c2.selectbox("Millésime d'arrivée", years, key="qpv_end")
chosen_deps = c3.multiselect("Départements", region.dep_codes, format_func=region.dep_label,
                             placeholder="Tous les départements", key="qpv_deps")
query = share.persist(PARAMS)
evolution = views.qpv_evolution(region.code, start, end, tuple(chosen_deps))
cols = {"code": "Code", "name": "Quartier", "dep": "Dép.", "commune_names": "Communes", "population": "Population",
        "job_seekers_debut": f"DE ABC {start}", "job_seekers_fin": f"DE ABC {end}", "job_seekers_change": "Évolution DE ABC",
        "below_cap_share_debut": f"Infra CAP-BEP {start}", "below_cap_share_fin": f"Infra CAP-BEP {end}",
        "below_cap_share_change": "Évolution infra CAP-BEP", "employment_rate": f"Taux d'emploi {end}",
        "poverty_rate": f"Taux de pauvreté ({loaders.qpv_vintages('REVN')[-1]})"}
st.dataframe(
    ui.styled(evolution[list(cols)], {"population": "int", "job_seekers_debut": "int", "job_seekers_fin": "int",
                                      "job_seekers_change": "int", "below_cap_share_debut": "pct_fraction",
                                      "below_cap_share_fin": "pct_fraction", "below_cap_share_change": "points_fraction",
                                      "employment_rate": "pct", "poverty_rate": "pct"}, cols),
    hide_index=True, width="stretch", height=420,
)
st.caption("Cellules vides (–) : secret statistique ou donnée non diffusée par Insee, jamais remplacées par 0. "
           "DE ABC : demandeurs d'emploi inscrits en catégories A, B, C ; infra CAP-BEP : part de ceux dont le niveau "
           "de formation est inférieur au CAP-BEP.")
ui.csv_download(evolution, f"qpv_indicateurs_{region.code}_{start}_{end}.csv")
ui.source_caption("qpv_2015_insee_indicators")
share.share_box(query)
