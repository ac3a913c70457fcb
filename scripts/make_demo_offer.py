"""Write a *demonstration* training offer in LHEO 2.2 for a region (seeded, reproducible).

No regional LHEO export is available offline. This generator writes one that goes through
the real reader, so every view of the white-zones page works end to end; every view built
on it says "Offre de démonstration".

Rule (documented on the methodology page):
- training sites are drawn among the communes of the region and of its neighbouring
  departments (``geo/places_<region>.parquet``) with a probability proportional to
  population^1.15 (training concentrates in towns), 1 site per ~25 000 inhabitants;
- each site hosts 1 to 12 actions; each action gets an NSF specialty from a fixed mix
  (see ``NSF_MIX``), is certifying with the specialty's probability, and has 1 to 3
  sessions starting between September 2026 and June 2028 (some with partial dates);
- 85 % of places carry coordinates (jittered ±1 km around the commune's point), 10 % only
  the commune code and 5 % only the postcode, to exercise the locator.

Usage: python -m scripts.make_demo_offer [--region 84] [--seed 2019]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from lxml import etree

from lib.core.config import DEMO, region_code
from lib.datasets.geometry import places
from lib.sources import cog

NS = "http://www.lheo.org/2.2"
# NSF code: (weight, probability of a certifying action, title stem)
NSF_MIX = {
    "312": (10, 0.55, "Vendeur conseil en magasin"), "311": (9, 0.6, "Agent magasinier"),
    "331": (7, 0.8, "Aide-soignant"), "330": (8, 0.6, "Assistant de vie aux familles"),
    "332": (4, 0.7, "Moniteur éducateur"), "334": (7, 0.5, "Serveur en restauration"),
    "221": (6, 0.6, "Cuisinier"), "232": (5, 0.6, "Maçon"), "233": (3, 0.6, "Peintre en bâtiment"),
    "227": (3, 0.7, "Technicien de maintenance CVC"), "251": (4, 0.6, "Technicien d'usinage"),
    "252": (3, 0.6, "Mécanicien automobile"), "254": (3, 0.7, "Soudeur"), "255": (4, 0.6, "Électricien d'équipement"),
    "314": (5, 0.6, "Gestionnaire de paie"), "324": (4, 0.5, "Secrétaire assistant"),
    "326": (6, 0.55, "Développeur web"), "415": (6, 0.05, "Prépa compétences — parcours d'orientation"),
    "412": (5, 0.05, "Savoirs de base et remise à niveau"), "136": (3, 0.3, "Français langue étrangère"),
    "344": (3, 0.8, "Agent de sûreté et de sécurité privée"),
}
# The programme ahead of today (2026-2028): white zones count the sessions running from the current
# month on, so a demonstration offer of past sessions would show the whole region white.
START_MONTHS = pd.period_range("2026-09", "2028-06", freq="M")


def _sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    elem = etree.SubElement(parent, f"{{{NS}}}{name}", **attrs)
    if text is not None:
        elem.text = text
    return elem


def build(region: str, seed: int) -> etree._ElementTree:
    rng = np.random.default_rng(seed)
    communes = places(region)
    postcodes = cog.read_communes().set_index("code")["postcodes"].str.split("|").str[0]
    weights = communes["population"].astype(float).clip(lower=1) ** 1.15
    n_sites = int(communes["population"].sum() / 25_000)
    sites = rng.choice(len(communes), size=n_sites, p=weights / weights.sum())
    nsf_codes = list(NSF_MIX)
    nsf_weights = np.array([NSF_MIX[c][0] for c in nsf_codes], dtype=float)

    root = etree.Element(f"{{{NS}}}lheo", nsmap={None: NS})
    offers = _sub(root, "offres")
    for site_number, site in enumerate(sites):
        commune = communes.iloc[site]
        organisme = f"Organisme de démonstration n° {site_number + 1} ({commune['name']})"
        for action_number in range(int(rng.integers(1, 13))):
            nsf = nsf_codes[rng.choice(len(nsf_codes), p=nsf_weights / nsf_weights.sum())]
            _, p_cert, title = NSF_MIX[nsf]
            ident = f"DEMO{region}-{site_number:04d}-{action_number:02d}"
            formation = _sub(offers, "formation", numero=ident)
            domain = _sub(formation, "domaine-formation")
            _sub(domain, "code-NSF", nsf)
            _sub(formation, "intitule-formation", f"{title} (démonstration)")
            certifying = rng.random() < p_cert
            _sub(formation, "certifiante", "1" if certifying else "0")
            _sub(formation, "code-niveau-entree", str(int(rng.choice([0, 3, 4]))))
            _sub(formation, "code-niveau-sortie", str(int(rng.choice([3, 4, 5]))) if certifying else "0")
            action = _sub(formation, "action", numero=ident)
            _sub(action, "code-public-vise", "80011")
            place = _sub(_sub(_sub(action, "lieu-de-formation"), "coordonnees"), "adresse")
            how = rng.random()
            if how < 0.95:
                _sub(place, "ville", commune["name"])
                _sub(place, "code-INSEE-commune", commune["code"])
            if how >= 0.95 or rng.random() < 0.5:
                _sub(place, "codepostal", postcodes.get(commune["code"], ""))
            if how < 0.85:
                geo = _sub(place, "geolocalisation")
                _sub(geo, "latitude", f"{commune['lat'] + rng.normal(0, 0.006):.6f}")
                _sub(geo, "longitude", f"{commune['lon'] + rng.normal(0, 0.008):.6f}")
            hours = int(rng.integers(70, 1200))
            _sub(action, "nombre-heures-total", str(hours))
            for _ in range(int(rng.integers(1, 4))):
                start = START_MONTHS[int(rng.integers(len(START_MONTHS)))]
                end = start + max(1, hours // 140)
                day = "00" if rng.random() < 0.2 else f"{int(rng.integers(1, 28)):02d}"
                session = _sub(action, "session")
                period = _sub(session, "periode")
                _sub(period, "debut", f"{start.year}{start.month:02d}{day}")
                _sub(period, "fin", f"{end.year}{end.month:02d}{'00' if day == '00' else '28'}")
            org = _sub(formation, "organisme-formation-responsable")
            _sub(org, "nom-organisme", organisme)
    return etree.ElementTree(root)


def output_path(region: str) -> Path:
    return DEMO / f"offre_demo_{region}.xml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default=region_code())
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    tree = build(args.region, args.seed)
    path = output_path(args.region)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    print(f"{path}: {len(tree.getroot()[0])} formations")


if __name__ == "__main__":
    main()
