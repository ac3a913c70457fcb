"""Insee *taux de chômage localisés* workbook (any edition, .xls or .xlsx).

Layout Insee publishes: a few title rows, then a header row
``Code | Libellé | T1_1982 … T3_2025``, one row per department (sheet
"Département") or region (sheet "Région"), then footnotes. Some editions add
France rows ("France métropolitaine", "France hors Mayotte") at the bottom.

Accepted containers: ``.xls``, ``.xlsx`` and ``.ods`` (OpenDocument, LibreOffice's own format) recognised by
content whatever the name; the same table saved as CSV (``;`` or tab, decimal commas, or ``,`` with decimal
points; UTF-8 or Windows-1252) is read as the sheet its header or its codes say (« Code région » or regions'
codes only: « Région », else « Département »), with the same figures as the workbook. The header may name
the level (« Code région | Libellé région », « Code département | Libellé département »).

Rows set aside, counted in the report (``excluded``) and named in a warning:

- on a « Région » sheet, a former region's code (before the 2016 reform: 82 Rhône-Alpes, 83 Auvergne, 91
  Languedoc-Roussillon…): not a current region, its series is never shown as one;
- on a « Département » sheet, « 20 CORSE » (the code of Corsica before 1976: its departments are 2A and 2B).

The report's ``meta`` says which levels were read (``levels``) and the former regions set aside
(``former_regions``), so that a page can say why the region's series is missing.

Tidy schema returned by :func:`read_unemployment`:

=========  ======  ==========================================================
column     type    meaning
=========  ======  ==========================================================
level      str     ``departement`` | ``region`` | ``france``
code       str     Insee code (``"01"``, ``"2A"``, ``"84"``); ``FM`` = France
                   métropolitaine, ``FR`` = France hors Mayotte
name       str     label as printed in the file
quarter    str     ``YYYY-Tn`` (e.g. ``2018-T4``)
rate       float   unemployment rate, % of the labour force (CVS)
=========  ======  ==========================================================
"""
from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from lib.core.errors import DataError, ImportReport
from lib.core.fmt import fr_int, fr_num
from lib.core.text import insee_code, normalise
from lib.sources.opener import open_bytes
from lib.sources.opener_formats import sniff_format

COLUMNS = ["level", "code", "name", "quarter", "rate"]
QUARTER_PATTERNS = (
    re.compile(r"^T([1-4])\s*[_\- ]?\s*(\d{4})$", re.I),
    re.compile(r"^(\d{4})\s*[_\- ]?\s*T([1-4])$", re.I),
)
HEADER_SEARCH_ROWS = 40
FRANCE_CODES = {"france metropolitaine": "FM", "france hors mayotte": "FR", "france entiere hors mayotte": "FR"}
# Regions since 1 January 2016 (COG), and the former ones whose codes disappeared then (a file still
# listing them is an old edition or an analyst's table: their series are no current region's).
CURRENT_REGIONS = ("01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84",
                   "93", "94")
FORMER_REGIONS = {"21": "Champagne-Ardenne", "22": "Picardie", "23": "Haute-Normandie", "25": "Basse-Normandie",
                  "26": "Bourgogne", "31": "Nord-Pas-de-Calais", "41": "Lorraine", "42": "Alsace", "43": "Franche-Comté",
                  "54": "Poitou-Charentes", "72": "Aquitaine", "73": "Midi-Pyrénées", "74": "Limousin",
                  "82": "Rhône-Alpes", "83": "Auvergne", "91": "Languedoc-Roussillon"}
FORMER_REGION_REASON = "ligne(s) d'ancienne région (code d'avant 2016) écartée(s)"
OLD_CORSICA_REASON = "ligne(s) « 20 Corse » écartée(s) (ancien code : les départements sont 2A et 2B)"


SHEET_NAMES = {
    "departement": re.compile(r"^(departements?|depts?|dep)(\b|\d|_|$)"),
    "region": re.compile(r"^(regions?|reg)(\b|\d|_|$)"),
}


def sheet_level(name: str) -> str | None:
    """``Département``, ``Departements``, ``DEP`` -> departement; ``Région(s)``, ``REG`` -> region.

    A whole word: ``Dépenses`` or ``Regroupements`` (an analyst's sheets) are not Insee sheets."""
    key = normalise(name)
    for level, pattern in SHEET_NAMES.items():
        if pattern.match(key):
            return level
    return None


def parse_quarter(label: object) -> str | None:
    """``T3_2025`` / ``2025-T3`` / ``T3 2025`` -> ``2025-T3``; anything else -> None."""
    text = str(label).strip()
    for number, pattern in enumerate(QUARTER_PATTERNS):
        match = pattern.match(text)
        if match:
            quarter, year = match.groups() if number == 0 else match.groups()[::-1]
            return f"{year}-T{quarter}"
    return None


def _open_workbook(source: str | Path | bytes, filename: str):
    """The workbook from its bytes: ``.xls``, ``.xlsx`` or ``.ods`` recognised by content, whatever the
    name; a CSV of the Insee table is read as a one-sheet workbook (:class:`_TextBook`)."""
    data = open_bytes(source, filename)
    kind = sniff_format(data)  # « ods » for an OpenDocument spreadsheet
    if kind == "text":
        return _TextBook.parse(data, filename)
    try:
        if kind not in ("xls", "xlsx", "ods"):
            raise ValueError(kind)
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as err:  # calamine raises several unrelated types for a non-workbook
        raise DataError(
            f"« {filename} » n'est pas un classeur lisible (.xls, .xlsx ou .ods) : "
            "vérifiez qu'il s'agit bien du fichier Insee des taux de chômage localisés."
        ) from err


def looks_like_insee_text(data: bytes, filename: str) -> bool:
    """Whether a text file is the Insee table saved as CSV (a header ``Code ; Libellé ; T1_1982 …``)."""
    try:
        _TextBook.parse(data[:2_000_000], filename)
    except DataError:
        return False
    return True


class _Sheet:
    def __init__(self, rows: list[list]):
        self.rows = rows

    def to_python(self, skip_empty_area: bool = False) -> list[list]:
        return self.rows


class _TextBook:
    """The Insee table saved as CSV by a spreadsheet: one sheet, named after the level its header or its
    codes give (a CSV keeps no sheet name)."""

    SEPARATORS = (";", "\t", ",")

    def __init__(self, name: str, rows: list[list]):
        self.sheet_names = [name]
        self._rows = rows

    def get_sheet_by_name(self, name: str) -> _Sheet:
        return _Sheet(self._rows)

    @classmethod
    def parse(cls, data: bytes, filename: str) -> _TextBook:
        import csv

        from lib.sources.opener_formats import decode_text

        refusal = (f"« {filename} » n'est pas le tableau Insee des taux de chômage localisés (ni classeur, ni CSV "
                   "avec une ligne « Code ; Libellé ; T1_1982 … ») : téléchargez le fichier .xls d'Insee "
                   "(insee.fr/fr/statistiques/2012804) et importez-le tel quel.")
        try:
            text = decode_text(data, filename)
        except DataError as err:
            raise DataError(refusal) from err
        lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for separator in cls.SEPARATORS:
            rows = list(csv.reader(lines, delimiter=separator))
            header = _find_header(rows)
            if header is None:
                continue
            width = len(rows[header[0]])
            if separator == "," and any(len(row) > width and any(str(c).strip() for c in row[width:])
                                        for row in rows[header[0] + 1:]):
                raise DataError(f"« {filename} » : CSV séparé par des virgules dont les taux semblent écrits avec "
                                "une virgule décimale (colonnes décalées) : téléchargez le fichier .xls d'Insee "
                                "(insee.fr/fr/statistiques/2012804) et importez-le tel quel.")
            return cls(cls._level_name(rows, header), rows)
        raise DataError(refusal)

    @staticmethod
    def _level_name(rows: list[list], header: tuple) -> str:
        """« Région » when the header says so or every code is a region's (current or former), else « Département »."""
        index, code_col, _, _ = header
        level = header_level([normalise(c) for c in rows[index]])
        if level is None:
            codes = [insee_code(r[code_col], 2) for r in rows[index + 1:] if code_col < len(r) and str(r[code_col]).strip()]
            codes = [c for c in codes if c]
            regions = set(CURRENT_REGIONS) | set(FORMER_REGIONS)
            level = "region" if codes and len(codes) <= 40 and set(codes) <= regions else "departement"
        return "Région" if level == "region" else "Département"


HEADER_LEVEL = re.compile(r"^(?:de (?:la )?|du |des )?(?:(region|reg)|(departement|dep|dept))s?$")


def header_column(cells: list[str], word: str) -> int | None:
    """Position of ``code`` or ``libelle`` in a normalised header: the word alone, else followed by the
    level (« Code région », « Libellé du département »)."""
    if word in cells:
        return cells.index(word)
    for col, cell in enumerate(cells):
        if cell.startswith(word + " ") and HEADER_LEVEL.match(cell[len(word) + 1:]):
            return col
    return None


def header_level(cells: list[str]) -> str | None:
    """The level a header names (« Code région » -> region), else None."""
    for cell in cells:
        for word in ("code ", "libelle "):
            match = HEADER_LEVEL.match(cell[len(word):]) if cell.startswith(word) else None
            if match:
                return "region" if match.group(1) else "departement"
    return None


def _find_header(rows: list[list]) -> tuple[int, int, int, dict[int, str]] | None:
    """Index of the header row, of the Code and Libellé columns, and the quarter columns; None when
    the sheet is not in Insee's layout (an analyst's notes, a table of another shape)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [normalise(cell) for cell in row]
        code, label = header_column(cells, "code"), header_column(cells, "libelle")
        if code is not None and label is not None:
            quarters = {col: q for col, cell in enumerate(row) if (q := parse_quarter(cell))}
            if quarters:
                return index, code, label, quarters
    return None


def _classify(code_cell: object, name: str, sheet_level: str) -> tuple[str, str] | None:
    """(level, code) of a data row, or None for a footnote or blank row."""
    label = normalise(name)
    for france_label, france_code in FRANCE_CODES.items():
        if label.startswith(france_label):
            return "france", france_code
    width = 2
    code = insee_code(code_cell, width)
    if code is None:
        return None
    if sheet_level == "departement" and len(code) == 3 and not code.startswith("97"):
        return None
    if sheet_level == "departement" and code == "20":
        return "old_corsica", code
    if sheet_level == "region" and code in FORMER_REGIONS:
        return "former_region", code
    return sheet_level, code


# --- Plausibility: the one place deciding that the numbers read are localised unemployment rates ---
#
# Insee's departmental rates (CVS, 1982 on) run from 3,7 % (Ain, Mayenne, 2000-2001) to 27,5 %
# (La Réunion, 2014) in the bundled edition; overseas departments reached about 30 % in older
# estimates, mainland departments about 16 % (Bouches-du-Rhône, Hérault, 1997). Hence:
# - above 40 % is no localised unemployment rate: it is another series in the same layout (job
#   seekers in thousands: 93,3; an employment or activity rate: 65-75 %; counts: 45 000);
# - at or below 1 % is a rate written as a fraction (0,075 for 7,5 %) or a typo (0).
# A few such cells (a typo) are set aside and named; more and the file is refused.
RATE_MIN = 1.0   # a rate must be above this (%)
RATE_MAX = 40.0  # and at most this (%)
MAX_SET_ASIDE = 5          # at most this many implausible cells are set aside with a warning,
MAX_SET_ASIDE_SHARE = 0.1  # and only while they are under 10 % of the values read
COUNT_FLOOR = 100  # whole numbers from 100 up read as counts of people, not rates
EXAMPLES = 3
# Words of a title or header naming another series than the unemployment rate (normalised text).
OTHER_SERIES = (
    (re.compile(r"\bdemandeurs? d emploi\b|\bdefm\b"), "demandeurs d'emploi"),
    (re.compile(r"\bnombre de chomeurs\b|\bchomeurs\b"), "nombre de chômeurs"),
    (re.compile(r"\btaux d emploi\b"), "taux d'emploi"),
    (re.compile(r"\btaux d activite\b"), "taux d'activité"),
    (re.compile(r"\bpopulation active\b"), "population active"),
    (re.compile(r"\bemplois? salarie"), "emploi salarié"),
    (re.compile(r"\binscrits?\b"), "inscrits à France Travail"),
    (re.compile(r"\bmilliers\b|\beffectifs?\b"), "effectifs"),
)
INSEE_FILE = "le fichier Insee « Taux de chômage localisés » (insee.fr/fr/statistiques/2012804), en %"


def other_series(texts: list[object]) -> tuple[str, str] | None:
    """``(text, series)`` for the first title or header text naming another series, else None."""
    for text in texts:
        key = normalise(text)
        for pattern, series in OTHER_SERIES:
            if pattern.search(key):
                return str(text).strip(), series
    return None


def _where(row: pd.Series) -> str:
    return f"{row['name']} {row['quarter']} : {fr_num(row['rate'], 1 if row['rate'] % 1 else 0)} " \
           f"(feuille « {row['sheet']} », ligne {row['line']})"


def check_plausibility(frame: pd.DataFrame, filename: str, report: ImportReport) -> pd.DataFrame:
    """Refuse numbers that are not localised unemployment rates in %, or set aside a few of them.

    ``frame`` holds one value a row with its ``sheet`` and ``line``; returns it without the values set
    aside (named in a warning of ``report``). Raises :class:`DataError` (French) when the file holds
    another series: fractions, counts, values out of the plausible range beyond a few cells."""
    rates = frame["rate"]
    if rates.max() <= 1:
        raise DataError(
            f"« {filename} » : tous les taux sont inférieurs ou égaux à 1 (ex. {fr_num(rates.iloc[0], 3)}) : ils "
            "semblent écrits en fraction (0,075) et non en pourcentage (7,5). Utilisez le fichier Insee d'origine, en %."
        )
    out = ~((rates > RATE_MIN) & (rates <= RATE_MAX))
    if not out.any():
        return frame
    bad = frame[out]
    if len(bad) > MAX_SET_ASIDE or len(bad) > MAX_SET_ASIDE_SHARE * len(frame):
        counts = bad["rate"].ge(COUNT_FLOOR) & bad["rate"].mod(1).eq(0)
        if counts.mean() >= 0.5:
            examples = " ; ".join(_where(row) for _, row in bad[counts].head(EXAMPLES).iterrows())
            raise DataError(
                f"« {filename} » : les valeurs ressemblent à des effectifs (nombres entiers, ex. {examples}) et non "
                f"à des taux de chômage en % : fichier refusé. Utilisez {INSEE_FILE}."
            )
        examples = " ; ".join(_where(row) for _, row in bad.head(EXAMPLES).iterrows())
        raise DataError(
            f"« {filename} » : {fr_int(len(bad))} valeurs sur {fr_int(len(frame))} sont hors de l'intervalle plausible "
            f"d'un taux de chômage localisé (plus de {fr_num(RATE_MIN, 0)} % et au plus {fr_num(RATE_MAX, 0)} %), "
            f"ex. {examples}. Ce ne sont pas des taux de chômage (demandeurs d'emploi en milliers, taux d'emploi… ?) : "
            f"fichier refusé. Utilisez {INSEE_FILE}."
        )
    report.warn(
        f"{len(bad)} valeur{'s' if len(bad) > 1 else ''} hors de l'intervalle plausible d'un taux de chômage "
        f"localisé (plus de {fr_num(RATE_MIN, 0)} % et au plus {fr_num(RATE_MAX, 0)} %) mise{'s' if len(bad) > 1 else ''} "
        f"de côté : {' ; '.join(_where(row) for _, row in bad.iterrows())}"
    )
    return frame[~out]


# --- Reading ---------------------------------------------------------------------------------------

def _number(cell: object) -> float | None:
    """A cell as a number (``7.5``, ``"7,5"``, ``"7,5 %"``, ``"45 000"``), else None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        value = float(cell)
    else:
        try:
            value = float(re.sub(r"[\s\u00a0\u202f%]", "", str(cell)).replace(",", "."))
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def _insee_sheets(workbook: CalamineWorkbook, filename: str, report: ImportReport) -> list[tuple]:
    """``(sheet, level, rows, header)`` of the first sheet of each level named like Insee's AND in its
    layout (a header ``Code | Libellé | T1_1982 …``): an analyst's own sheet placed first is passed over."""
    chosen: dict[str, tuple] = {}
    passed: list[str] = []
    for sheet in workbook.sheet_names:
        level = sheet_level(sheet)
        if level is None or level in chosen:
            continue
        try:
            rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception:  # noqa: BLE001 — a chart sheet has no cells: not in the layout
            rows = []
        header = _find_header(rows)
        if header is None:
            passed.append(sheet)
        else:
            chosen[level] = (sheet, level, rows, header)
    found = ", ".join(f"« {name} »" for name in workbook.sheet_names) or "aucune"
    if not chosen and not passed:
        raise DataError(
            f"« {filename} » ne contient ni feuille « Département » ni feuille « Région » (feuilles trouvées : {found})."
        )
    if not chosen:
        raise DataError(
            f"« {filename} » : ligne d'en-tête introuvable dans les feuilles {', '.join(f'« {s} »' for s in passed)}. "
            "Le fichier Insee doit contenir une feuille « Département » ou « Région » avec une ligne "
            f"« Code | Libellé | T1_1982 … » ; vérifiez qu'il s'agit bien des taux de chômage localisés (feuilles "
            f"trouvées : {found})."
        )
    for sheet in passed:
        report.notes.append(f"Feuille « {sheet} » non lue : pas de ligne « Code | Libellé | T1_1982 … » "
                            "(pas au format Insee).")
    return list(chosen.values())


def _repeated_quarters(quarters: dict[int, str]) -> dict[int, int]:
    """A quarter written in two columns: each later column -> the first one (kept when equal)."""
    first: dict[str, int] = {}
    copies: dict[int, int] = {}
    for col, quarter in sorted(quarters.items()):
        if quarter in first:
            copies[col] = first[quarter]
        else:
            first[quarter] = col
    return copies


def _check_copies(row: list, copies: dict[int, int], labels: dict[int, str], name: str, line: int, sheet: str,
                  filename: str) -> None:
    """Two columns of one quarter must agree: which one is right cannot be told, so the file is refused."""
    for copy, original in copies.items():
        values = [_number(row[c]) if c < len(row) and str(row[c]).strip() else None for c in (original, copy)]
        if values[0] != values[1]:
            raise DataError(
                f"« {filename} », feuille « {sheet} » : le trimestre {labels[original]} figure dans deux colonnes "
                f"({_column_letter(original)} et {_column_letter(copy)}) avec des valeurs différentes ({name}, ligne {line} : "
                f"{_shown(values[0])} et {_shown(values[1])}) : fichier refusé, supprimez la colonne en trop."
            )


def _column_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _shown(value: float | None) -> str:
    return "vide" if value is None else f"{value:g}".replace(".", ",")


def _read_sheet(sheet: str, level: str, rows: list[list], header: tuple, filename: str,
                report: ImportReport, unreadable: list[str]) -> list[tuple]:
    index, code_col, name_col, quarters = header
    titles = [cell for row in rows[:index] for cell in row if str(cell).strip()]
    titles += [cell for col, cell in enumerate(rows[index]) if col not in quarters and col not in (code_col, name_col)]
    if named := other_series(titles):
        text, series = named
        raise DataError(
            f"« {filename} », feuille « {sheet} » : « {text} » désigne une autre série ({series}) que le taux de "
            f"chômage localisé : fichier refusé. Utilisez {INSEE_FILE}."
        )
    records: list[tuple] = []
    seen: set[tuple[str, str]] = set()
    copies = _repeated_quarters(quarters)
    labels = dict(quarters)
    quarters = {col: quarter for col, quarter in quarters.items() if col not in copies}
    for line, row in enumerate(rows[index + 1 :], start=index + 2):
        if not any(str(cell).strip() for cell in row):
            continue  # blank spacer rows are layout, not data
        report.rows_read += 1
        name = str(row[name_col]).strip() if name_col < len(row) else ""
        kind = _classify(row[code_col], name, level)
        if kind is None:
            report.reject("note de bas de tableau ou code non reconnu", lines=[line])
            continue
        if kind[0] == "former_region":
            report.exclude(FORMER_REGION_REASON, 1)
            report.meta.setdefault("former_regions", []).append(f"{kind[1]} {FORMER_REGIONS[kind[1]]}")
            continue
        if kind[0] == "old_corsica":
            report.exclude(OLD_CORSICA_REASON, 1)
            continue
        if kind in seen:
            report.reject("code en double", lines=[line])
            continue
        _check_copies(row, copies, labels, name, line, sheet, filename)
        values = []
        for col, quarter in quarters.items():
            cell = row[col] if col < len(row) else ""
            if cell is None or str(cell).strip() == "":
                continue  # not estimated that quarter (e.g. DOM before 2014)
            rate = _number(cell)
            if rate is None:
                unreadable.append(f"{name} {quarter} : « {str(cell).strip()} » (feuille « {sheet} », ligne {line})")
                continue
            values.append((kind[0], kind[1], name, quarter, rate, sheet, line))
        if not values:
            report.reject("aucune valeur", lines=[line])
            continue
        seen.add(kind)
        report.rows_kept += 1
        records.extend(values)
    return records


def _say_set_aside(report: ImportReport) -> None:
    """The former codes set aside, named (their count is in ``report.excluded``)."""
    former = report.meta.get("former_regions")
    if former:
        report.warn(f"{fr_int(len(former))} ancienne{'s' if len(former) > 1 else ''} région{'s' if len(former) > 1 else ''} "
                    f"(codes d'avant la réforme de 2016) mise{'s' if len(former) > 1 else ''} de côté : {', '.join(former)} "
                    "— ce ne sont pas des régions actuelles, leurs taux ne sont pas utilisés")
    if report.excluded.get(OLD_CORSICA_REASON):
        report.warn("ligne « 20 Corse » mise de côté : 20 est l'ancien code de la Corse, ses départements sont "
                    "2A (Corse-du-Sud) et 2B (Haute-Corse)")


def read_unemployment(source: str | Path | bytes, filename: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """Read an Insee localised-unemployment workbook into the tidy long table."""
    filename = filename or (Path(str(source)).name if not isinstance(source, (bytes, bytearray)) else "fichier")
    workbook = _open_workbook(source, filename)
    report = ImportReport(source=f"Taux de chômage localisés ({filename})")
    records: list[tuple] = []
    unreadable: list[str] = []
    if isinstance(workbook, _TextBook):
        report.notes.append(f"Fichier CSV lu comme la feuille « {workbook.sheet_names[0]} » du fichier Insee.")
    levels = []
    for sheet, level, rows, header in _insee_sheets(workbook, filename, report):
        levels.append(level)
        records.extend(_read_sheet(sheet, level, rows, header, filename, report, unreadable))
    report.meta["levels"] = sorted(levels)
    _say_set_aside(report)
    if not records:
        raise DataError(f"« {filename} » ne contient aucun taux de chômage exploitable.")
    if unreadable:
        shown = " ; ".join(unreadable[:EXAMPLES]) + (" …" if len(unreadable) > EXAMPLES else "")
        report.warn(f"{fr_int(len(unreadable))} valeur{'s' if len(unreadable) > 1 else ''} non numérique"
                    f"{'s' if len(unreadable) > 1 else ''} mise{'s' if len(unreadable) > 1 else ''} de côté : {shown}")
    frame = pd.DataFrame.from_records(records, columns=[*COLUMNS, "sheet", "line"])
    kept = check_plausibility(frame, filename, report)
    emptied = sorted(set(zip(frame["sheet"], frame["line"])) - set(zip(kept["sheet"], kept["line"])))
    if emptied:  # rows whose every value was set aside are not kept
        report.rows_kept -= len(emptied)
        report.reject("aucune valeur plausible", len(emptied), [line for _, line in emptied])
    # A France row may appear on both sheets: keep one.
    frame = kept[COLUMNS].drop_duplicates(["level", "code", "quarter"]).astype({c: "str" for c in COLUMNS[:4]})
    return frame.sort_values(["level", "code", "quarter"], ignore_index=True), report
