"""The region being shown: its name and departments, from the COG file (nothing hard-coded)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from lib.core.errors import DataError
from lib.sources import cog


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    departements: pd.DataFrame  # code, name, tncc

    @property
    def dep_codes(self) -> list[str]:
        return list(self.departements["code"])

    @cached_property
    def _names(self) -> dict[str, str]:
        # Widgets call dep_label once per option on every run: a dict, not a frame lookup.
        return dict(zip(self.departements["code"], self.departements["name"]))

    def dep_name(self, code: str) -> str:
        return self._names.get(code, code)

    def dep_of(self, code: str) -> str:
        """``"de l'Allier"``, ``"du Cantal"``, ``"de la Drôme"``: from Insee's article type (TNCC)."""
        row = self.departements.loc[self.departements["code"].eq(code)]
        if row.empty:
            return f"du département {code}"
        name, tncc = row["name"].iloc[0], row["tncc"].iloc[0] if "tncc" in row else "0"
        prefix = {"1": "d'", "2": "du ", "3": "de la ", "4": "des ", "5": "de l'", "6": "des "}.get(tncc, "de ")
        return prefix + name

    def dep_label(self, code: str) -> str:
        """``"03 – Allier"``: departments named and coded."""
        return f"{code} – {self.dep_name(code)}"


def region(code: str) -> Region:
    regions = cog.read_regions()
    match = regions[regions["code"].eq(code)]
    if match.empty:
        raise DataError(f"Région inconnue : « {code} ». Codes possibles : {', '.join(regions['code'])}.")
    deps = cog.read_departements()
    deps = deps[deps["region"].eq(code)][["code", "name", "tncc"]].sort_values("code", ignore_index=True)
    return Region(code=code, name=match["name"].iloc[0], departements=deps)
