"""The objectives in use: an imported or configured file, else the region's bundled pact, else the national
15 % QPV target alone (one objective per year of the records), with the words a reader needs to add their own."""
from __future__ import annotations

import pandas as pd

from lib.core.errors import ImportReport
from lib.datasets import territory
from lib.datasets.workspace import FileInUse
from lib.sources.objectives import OUTPUT, read_objectives

NATIONAL_QPV_TARGET = 0.15
NATIONAL_SOURCE = "Cadre national du PIC (cible de 15 % d'entrées de résidents QPV)"
PACT_SOURCES = {"84": "Pacte Auvergne-Rhône-Alpes 2019-2022"}
HOW_TO_ADD = ("Ajoutez les objectifs de la région (page Données, carte « Objectifs du pacte », ou un fichier dans le "
              "dossier PRIC_DATA_DIR) : colonnes " + ", ".join(OUTPUT) + ".")


def load_objectives(region_code: str, chosen: FileInUse, data: tuple[bytes, str] | None,
                    years: list[int]) -> tuple[pd.DataFrame, ImportReport]:
    """``(objectives, report)``: the file ``data`` (imported or configured), the bundled ``chosen.path``,
    or the national target for ``years``."""
    region = territory.region(region_code)
    if data is not None:
        return read_objectives(data[0], region.code, region.dep_codes, data[1])
    if chosen.path is not None:
        return read_objectives(chosen.path, region.code, region.dep_codes)
    frame = pd.DataFrame([{"objective_id": f"QPV-{year}", "indicator": "qpv_share", "scope": region.code, "public": "",
                           "pathway_type": "", "axis": "", "year": float(year), "baseline": float("nan"),
                           "baseline_year": float("nan"), "target": NATIONAL_QPV_TARGET,
                           "comment": "Cible nationale : 15 % des entrées pour les résidents des quartiers prioritaires.",
                           "line": 0} for year in sorted(years)])
    report = ImportReport(source=f"Objectifs ({NATIONAL_SOURCE})", rows_read=len(frame), rows_kept=len(frame))
    report.notes.append(f"Aucun objectif propre à la région {region.name} : seule la cible nationale de 15 % est suivie. "
                        + HOW_TO_ADD)
    return frame, report


def source_of(chosen: FileInUse, region_code: str) -> str:
    """What the ``source`` column of the objectives says: the pact, the national frame, or the file."""
    if chosen.status == "importe":
        return f"fichier importé « {chosen.name} »"
    if chosen.status == "configure":
        return f"fichier configuré « {chosen.name} »"
    return PACT_SOURCES.get(region_code, "Pacte régional") if chosen.path is not None else NATIONAL_SOURCE
