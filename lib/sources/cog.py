"""Administrative divisions, COG 2026 (Etalab ``@etalab/decoupage-administratif`` 6.0.0).

Tidy schemas (all codes are strings):

- ``read_communes`` -> ``code, name, dep, region, population, epci, postcodes``
  one row per *commune actuelle*; ``population`` is the latest legal municipal
  population (Int64); ``postcodes`` is a ``|``-joined string.
- ``read_departements`` -> ``code, name, region, tncc`` (``tncc``: Insee article type, 0–8)
- ``read_regions`` -> ``code, name``
- ``read_former_communes`` -> ``code, name, dep, type, parent`` for delegated or
  associated communes and Lyon/Marseille/Paris arrondissements, each pointing to
  the *commune actuelle* that holds it.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lib.core.config import RAW
from lib.core.errors import DataError

SOURCE_DIR = RAW / "decoupage_admin_etalab"


@lru_cache(maxsize=16)
def _load_json(name: str, folder: Path = SOURCE_DIR) -> list[dict]:
    """Parsed JSON array, memoised (the communes file is 8 MB; callers never mutate it)."""
    path = folder / name
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as err:
        raise DataError(f"Fichier du découpage administratif introuvable : {path.name}.") from err
    except json.JSONDecodeError as err:
        raise DataError(f"Le fichier {path.name} n'est pas un JSON valide (ligne {err.lineno}).") from err
    if not isinstance(data, list):
        raise DataError(f"Le fichier {path.name} devrait contenir une liste d'objets.")
    return data


def load_json(name: str, folder: Path = SOURCE_DIR) -> list[dict]:
    """The raw records of one Etalab file (read once per process)."""
    return _load_json(name, folder)


def read_regions(folder: Path = SOURCE_DIR) -> pd.DataFrame:
    rows = _load_json("regions.json", folder)
    return pd.DataFrame({"code": [r["code"] for r in rows], "name": [r["nom"] for r in rows]}, dtype=str)


def read_departements(folder: Path = SOURCE_DIR) -> pd.DataFrame:
    rows = _load_json("departements.json", folder)
    return pd.DataFrame(
        {
            "code": [r["code"] for r in rows],
            "name": [r["nom"] for r in rows],
            "region": [r["region"] for r in rows],
            "tncc": [str(r.get("typeLiaison", 0)) for r in rows],
        },
        dtype=str,
    )


def _epci_of_communes(folder: Path) -> dict[str, str]:
    return {m["code"]: e["code"] for e in _load_json("epci.json", folder) for m in e.get("membres", [])}


def read_epci(folder: Path = SOURCE_DIR) -> pd.DataFrame:
    """EPCI: ``code, name, kind`` (CC, CA, CU, METRO…), ``population`` (municipal, all member communes)."""
    rows = _load_json("epci.json", folder)
    frame = pd.DataFrame(
        {"code": [r["code"] for r in rows], "name": [r["nom"] for r in rows], "kind": [r["type"] for r in rows]},
        dtype=str,
    )
    frame["population"] = pd.array([r.get("populationMunicipale") for r in rows], dtype="Int64")
    return frame


def read_communes(folder: Path = SOURCE_DIR) -> pd.DataFrame:
    rows = [r for r in _load_json("communes.json", folder) if r.get("type") == "commune-actuelle"]
    epci = _epci_of_communes(folder)
    frame = pd.DataFrame(
        {
            "code": [r["code"] for r in rows],
            "name": [r["nom"] for r in rows],
            "dep": [r["departement"] for r in rows],
            "region": [r["region"] for r in rows],
            "epci": [epci.get(r["code"]) for r in rows],
            "postcodes": ["|".join(r.get("codesPostaux", [])) for r in rows],
        },
        dtype=str,
    )
    frame["population"] = pd.array([r.get("population") for r in rows], dtype="Int64")
    return frame[["code", "name", "dep", "region", "population", "epci", "postcodes"]]


def read_former_communes(folder: Path = SOURCE_DIR) -> pd.DataFrame:
    """Delegated/associated communes and municipal arrondissements with their parent commune."""
    kinds = {"commune-deleguee", "commune-associee", "arrondissement-municipal"}
    rows = [r for r in _load_json("communes.json", folder) if r.get("type") in kinds]
    frame = pd.DataFrame(
        {
            "code": [r["code"] for r in rows],
            "name": [r["nom"] for r in rows],
            "dep": [r["departement"] for r in rows],
            "type": [r["type"] for r in rows],
            "parent": [r.get("chefLieu") or r.get("commune") for r in rows],
        },
        dtype=str,
    )
    # Arrondissements carry no chefLieu: their parent is the city (Lyon, Marseille, Paris).
    city = {"69": "69123", "13": "13055", "75": "75056"}
    arr = frame["type"].eq("arrondissement-municipal")
    frame.loc[arr, "parent"] = frame.loc[arr, "dep"].map(city)
    return frame


def postcode_to_commune(communes: pd.DataFrame) -> dict[str, str]:
    """Postcode -> Insee code of the most populous commune using it (to place an address)."""
    ranked = communes.sort_values("population", ascending=False)
    exploded = ranked.assign(postcode=ranked["postcodes"].str.split("|")).explode("postcode")
    exploded = exploded[exploded["postcode"].fillna("").ne("")].drop_duplicates("postcode")
    return dict(zip(exploded["postcode"], exploded["code"]))
