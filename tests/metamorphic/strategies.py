"""Composable Hypothesis strategies: the ways real exports write the same table.

Each transformation is a :class:`Transform` whose strategy draws a concrete :class:`Step` (its
parameters shown in Hypothesis' report) that maps a :class:`~tests.metamorphic.grid.Grid` to a
grid. ``documented`` transformations are forms the README promises to read right: alone or
combined they must give the *same* figures. The others (ambiguous or hostile forms) may also be
refused or read with a warning — never give other figures silently.

A variant = steps applied in phase order (typed cells, values, header, columns, rows), then a
container (CSV with a separator, an encoding, quoting and line ends; or an XLSX workbook).
"""
from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from hypothesis import strategies as st

from tests.metamorphic.grid import Grid, grid_sheets, to_csv, to_xlsx

TYPED, VALUES, HEADER, COLUMNS, ROWS = range(5)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class Step:
    """One drawn transformation (a plain class: Hypothesis prints its ``repr``, not its fields)."""

    def __init__(self, name: str, detail: str, apply: Callable[[Grid], Grid], phase: int = VALUES,
                 workbook: bool = False):
        self.name, self.detail, self.apply, self.phase = name, detail, apply, phase
        self.workbook = workbook  # needs a workbook container

    def __repr__(self) -> str:
        return f"{self.name}({self.detail})"


@dataclass(frozen=True)
class Transform:
    name: str
    strategy: st.SearchStrategy[Step]
    documented: bool
    what: str  # one line for the report


class Variant:
    """A generated file: its bytes, its name, and how it was made (``repr`` without the bytes)."""

    def __init__(self, data: bytes, filename: str, steps: tuple[Step, ...], container: str, documented: bool):
        self.data, self.filename, self.steps, self.container, self.documented = data, filename, steps, container, documented

    def __repr__(self) -> str:
        return f"Variant({self.filename}; {self.container}; {', '.join(map(repr, self.steps)) or 'aucune'})"


# --- small text helpers ----------------------------------------------------------------------


def strip_accents(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


CASES: dict[str, Callable[[str], str]] = {
    "tel quel": lambda s: s, "MAJUSCULES": str.upper, "minuscules": str.lower, "Titre": str.title,
}


def case_forms() -> st.SearchStrategy[tuple[str, bool]]:
    """(case, accents kept)."""
    return st.tuples(st.sampled_from(sorted(CASES)), st.booleans())


def styled(text: str, case: str, accents: bool) -> str:
    text = CASES[case](text)
    return text if accents else strip_accents(text)


def _text_cells(fn: Callable[[str], object]) -> Callable[[object], object]:
    """Apply ``fn`` to filled text cells only (typed or empty cells are left as they are)."""
    return lambda cell: fn(cell) if isinstance(cell, str) and cell != "" else cell


# --- value forms ------------------------------------------------------------------------------

DATE_FORMS = ["%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S", "%d-%m-%Y",
              "%d.%m.%Y", "%Y/%m/%d", "serial", "serial_number"]


def date_form(fields: list[str], forms: list[str] = DATE_FORMS, name: str = "date_form") -> st.SearchStrategy[Step]:
    """ISO dates rewritten: dd/mm/yyyy, with a time part, an Excel serial number written as text…"""
    @st.composite
    def draw(draw):
        form = draw(st.sampled_from(forms))
        hour = draw(st.integers(0, 23))

        def write(cell: str) -> object:
            day = dt.datetime.strptime(cell, "%Y-%m-%d").replace(hour=hour if "%H" in form else 0)
            if form.startswith("serial"):  # Excel's day number: as text, or as a number cell
                return str((day - EXCEL_EPOCH).days) if form == "serial" else (day - EXCEL_EPOCH).days
            return day.strftime(form)

        def apply(grid: Grid) -> Grid:
            for name_ in fields:
                grid = grid.map_cells(name_, _text_cells(write))
            return grid
        return Step(name, f"{form}, {hour} h" if "%H" in form else form, apply)
    return draw()


def number_form(fields: list[str], name: str = "number_form",
                groups: tuple[str, ...] = (" ", "\u00a0", "\u202f"), decimals: bool = True) -> st.SearchStrategy[Step]:
    """Whole numbers written the French way: thousands grouped by a space (plain, no-break or narrow
    no-break), ``25,0`` or ``25.0``."""
    @st.composite
    def draw(draw):
        group = draw(st.sampled_from(["", *groups]))
        decimal = draw(st.sampled_from(["", ",0", ".0", ",00"] if decimals else [""]))

        def write(cell: str) -> str:
            digits = cell.lstrip("-")
            if group:
                digits = f"{int(digits):,}".replace(",", group)
            return ("-" if cell.startswith("-") else "") + digits + decimal

        def apply(grid: Grid) -> Grid:
            for name_ in fields:
                grid = grid.map_cells(name_, _text_cells(write))
            return grid
        return Step(name, f"milliers {group!r}, décimale {decimal!r}", apply)
    return draw()


FLAG_WORDS = [("1", "0"), ("oui", "non"), ("Oui", "Non"), ("OUI", "NON"), ("O", "N"), ("TRUE", "FALSE"),
              ("true", "false"), ("vrai", "faux"), ("VRAI", "FAUX"), ("1.0", "0.0"), ("x", "")]


def flag_form(fields: list[str], no_empty: set[str], words=FLAG_WORDS, name: str = "flag_form") -> st.SearchStrategy[Step]:
    """0/1 flags as oui/non, O/N, TRUE/FALSE, vrai/faux, 1.0/0.0 — a style per column; ``x`` and empty
    (a tick column) only for a column with no unknown value (``no_empty``), where empty means 0."""
    @st.composite
    def draw(draw):
        chosen = {}
        for name_ in fields:
            options = words if name_ in no_empty else [w for w in words if w[1] != ""]
            chosen[name_] = draw(st.sampled_from(options))

        def apply(grid: Grid) -> Grid:
            for name_, (yes, no) in chosen.items():
                grid = grid.map_cells(name_, _text_cells(lambda c, yes=yes, no=no: {"1": yes, "0": no}.get(c, c)))
            return grid
        shown = sorted({f"{y}/{n or 'vide'}" for y, n in chosen.values()})
        return Step(name, ", ".join(shown), apply)
    return draw()


def labels_form(vocabularies: dict[str, dict[str, str]], name: str = "codes_as_labels") -> st.SearchStrategy[Step]:
    """Codes replaced by their French labels, per field, in any case, with or without accents."""
    @st.composite
    def draw(draw):
        chosen = {}
        for field_name in sorted(vocabularies):
            if draw(st.booleans()):
                chosen[field_name] = draw(case_forms())

        def apply(grid: Grid) -> Grid:
            for field_name, (case, accents) in chosen.items():
                labels = vocabularies[field_name]
                grid = grid.map_cells(field_name, _text_cells(lambda c, labels=labels, case=case, accents=accents:
                                                              styled(labels.get(c, c), case, accents)))
            return grid
        shown = ", ".join(f"{f} {c}{'' if a else ' sans accents'}" for f, (c, a) in chosen.items())
        return Step(name, shown or "aucun champ", apply)
    return draw()


def cell_spaces(name: str = "cell_spaces") -> st.SearchStrategy[Step]:
    """Spaces (or no-break spaces) around every text cell, as some exports pad fixed-width fields."""
    @st.composite
    def draw(draw):
        pad = draw(st.sampled_from([" ", "  ", "\u00a0"]))

        def apply(grid: Grid) -> Grid:
            rows = tuple(tuple(f"{pad}{c}{pad}" if isinstance(c, str) and c else c for c in r) for r in grid.rows)
            return replace(grid, rows=rows)
        return Step(name, repr(pad), apply)
    return draw()


# --- header -----------------------------------------------------------------------------------


def header_form(aliases: dict[str, tuple[str, ...]], name: str = "header_form") -> st.SearchStrategy[Step]:
    """Headers written another way: a French name of the field, any case, accents or not, spaces
    around."""
    @st.composite
    def draw(draw):
        case, accents = draw(case_forms())
        use_alias = draw(st.booleans())
        pad = draw(st.sampled_from(["", " ", "  "]))
        seed = draw(st.integers(0, 2**16))

        def apply(grid: Grid) -> Grid:
            rng = random.Random(seed)

            def rename(header: str, field_name: str | None) -> str:
                if field_name in aliases and use_alias and aliases[field_name]:
                    header = rng.choice(aliases[field_name])
                return pad + styled(header, case, accents) + pad
            return grid.with_header(rename)
        return Step(name, f"{case}{'' if accents else ' sans accents'}{', noms français' if use_alias else ''}"
                          f"{', espaces' if pad else ''}", apply, HEADER)
    return draw()


# --- columns ----------------------------------------------------------------------------------


def column_order(name: str = "column_order", keep_first: int = 0) -> st.SearchStrategy[Step]:
    """Columns in another order (the first ``keep_first`` stay in place)."""
    @st.composite
    def draw(draw):
        seed = draw(st.integers(0, 2**16))

        def apply(grid: Grid) -> Grid:
            rest = list(range(keep_first, len(grid.header)))
            random.Random(seed).shuffle(rest)
            return grid.reorder([*range(keep_first), *rest])
        return Step(name, f"graine {seed}", apply, COLUMNS)
    return draw()


EXTRA_HEADERS = ["commentaire", "Unnamed: 0", "source", "date_extraction", "conseiller", "numéro de dossier",
                 "observations", "code_postal"]


def extra_columns(name: str = "extra_columns") -> st.SearchStrategy[Step]:
    """Columns the reader does not know (comments, an index, a postcode…), anywhere."""
    @st.composite
    def draw(draw):
        headers = draw(st.lists(st.sampled_from(EXTRA_HEADERS), min_size=1, max_size=3, unique=True))
        seed = draw(st.integers(0, 2**16))

        def apply(grid: Grid) -> Grid:
            rng = random.Random(seed)
            for header in headers:
                cells = [rng.choice(["", "RAS", "à revoir", "12", "2023-01-05", "a; b", "69003"]) for _ in grid.rows]
                grid = grid.insert_column(rng.randrange(len(grid.header) + 1), header, None, cells)
            return grid
        return Step(name, ", ".join(headers), apply, COLUMNS)
    return draw()


def duplicate_column(fields: list[str], conflicting: bool, name: str) -> st.SearchStrategy[Step]:
    """A column twice under the same name: an identical copy anywhere, or (``conflicting``) a copy
    with other values (shifted by one row, as a bad copy-paste does) placed before the original."""
    @st.composite
    def draw(draw):
        field_name = draw(st.sampled_from(fields))
        seed = draw(st.integers(0, 2**16))

        def apply(grid: Grid) -> Grid:
            original = grid.positions(field_name)[0]
            cells = [r[original] for r in grid.rows]
            if conflicting:
                cells = cells[1:] + cells[:1]
                position = random.Random(seed).randrange(original + 1)
            else:
                position = random.Random(seed).randrange(len(grid.header) + 1)
            return grid.insert_column(position, grid.header[original], field_name, cells)
        return Step(name, field_name, apply, COLUMNS)
    return draw()


# --- rows -------------------------------------------------------------------------------------


def row_order(name: str = "row_order") -> st.SearchStrategy[Step]:
    @st.composite
    def draw(draw):
        seed = draw(st.integers(0, 2**16))

        def apply(grid: Grid) -> Grid:
            rows = list(grid.rows)
            random.Random(seed).shuffle(rows)
            return replace(grid, rows=tuple(rows))
        return Step(name, f"graine {seed}", apply, ROWS)
    return draw()


TITLES = ["Extraction des entrées en formation — région 84", "Extraction du 31/03/2023 ; source : système d'information",
          "PRIC Auvergne-Rhône-Alpes", "Données confidentielles, usage interne", "Tableau 1, en nombre",
          "Dénominateurs : demandeurs d'emploi inscrits (cat. A, B, C)"]


def title_lines(name: str = "title_lines", max_lines: int = 3) -> st.SearchStrategy[Step]:
    """One to three title or note lines (and maybe an empty line) above the header."""
    @st.composite
    def draw(draw):
        lines = draw(st.lists(st.sampled_from(TITLES), min_size=1, max_size=max_lines))
        blank = draw(st.booleans())

        def apply(grid: Grid) -> Grid:
            return replace(grid, above=(*grid.above, *[(t,) for t in lines], *([("",)] if blank else [])))
        return Step(name, f"{len(lines)} ligne(s){' + une vide' if blank else ''}", apply, ROWS)
    return draw()


def blank_lines(name: str = "blank_lines") -> st.SearchStrategy[Step]:
    """Empty lines between data rows (a spreadsheet's spacer rows)."""
    @st.composite
    def draw(draw):
        positions = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=4))

        def apply(grid: Grid) -> Grid:
            rows = list(grid.rows)
            for p in sorted(positions, reverse=True):
                rows.insert(p % (len(rows) + 1), tuple("" for _ in grid.header))
            return replace(grid, rows=tuple(rows))
        return Step(name, f"{len(positions)} ligne(s)", apply, ROWS)
    return draw()


def total_line(sum_fields: list[str], name: str = "total_line") -> st.SearchStrategy[Step]:
    """A last line « Total » with the count of rows, or the sums of the numeric columns."""
    @st.composite
    def draw(draw):
        label = draw(st.sampled_from(["Total", "TOTAL", "Total général", "Ensemble"]))
        label_at = draw(st.integers(0, 100))
        sums = draw(st.booleans())

        def apply(grid: Grid) -> Grid:
            row = ["" for _ in grid.header]
            row[label_at % len(row)] = label
            for position, field_name in enumerate(grid.fields):
                if sums and field_name in sum_fields:
                    total = 0
                    for r in grid.rows:
                        try:
                            total += int(str(r[position]).strip() or 0)
                        except ValueError:
                            pass
                    row[position] = str(total) if row[position] == "" else row[position]
            if not sums:
                row[(label_at + 1) % len(row)] = str(len(grid.rows))
            return replace(grid, below=(*grid.below, tuple(row)))
        return Step(name, f"« {label} » {'et sommes' if sums else 'et nombre de lignes'}", apply, ROWS)
    return draw()


def sheet_split(name: str = "sheet_split") -> st.SearchStrategy[Step]:
    """The rows cut over two sheets of one workbook, each with the header (a too-long export)."""
    @st.composite
    def draw(draw):
        share = draw(st.floats(0.2, 0.8))

        def apply(grid: Grid) -> Grid:
            return replace(grid, sheet_rows=(max(1, int(len(grid.rows) * share)),))
        return Step(name, f"{share:.0%} sur la 1re feuille", apply, ROWS, workbook=True)
    return draw()


# --- containers -------------------------------------------------------------------------------

SEPARATORS = {",": "virgule", ";": "point-virgule", "\t": "tabulation", "|": "barre"}
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"]


@dataclass(frozen=True)
class Container:
    detail: str
    write: Callable[[Grid], bytes] = field(repr=False)
    extension: str


def csv_container(encodings: list[str] = ENCODINGS) -> st.SearchStrategy[Container]:
    @st.composite
    def draw(draw):
        sep = draw(st.sampled_from(sorted(SEPARATORS)))
        encoding = draw(st.sampled_from(encodings))
        quote_all = draw(st.booleans())
        newline = draw(st.sampled_from(["\n", "\r\n"]))
        detail = f"CSV {SEPARATORS[sep]}, {encoding}{', tout entre guillemets' if quote_all else ''}" \
                 f"{', CRLF' if newline == chr(13) + chr(10) else ''}"
        return Container(detail, lambda g: to_csv(g, sep, encoding, quote_all, newline), "csv")
    return draw()


EXTRA_SHEETS = ["Notes", "Lisez-moi", "Paramètres", "TCD"]


def xlsx_container(sheet: str = "Entrees") -> st.SearchStrategy[Container]:
    """A workbook, maybe with a notes sheet before and/or after the data."""
    @st.composite
    def draw(draw):
        before = draw(st.lists(st.sampled_from(EXTRA_SHEETS), max_size=1))
        after = draw(st.lists(st.sampled_from(EXTRA_SHEETS), max_size=1, unique=True).filter(lambda a: a != before))
        notes = [["Extraction du 31/03/2023"], ["Contact : service statistique"]]

        def write(grid: Grid) -> bytes:
            return to_xlsx([*[(n, notes) for n in before], *grid_sheets(grid, sheet), *[(n, notes) for n in after]])
        detail = "XLSX" + (f", feuille « {before[0]} » avant" if before else "") + (f", « {after[0]} » après" if after else "")
        return Container(detail, write, "xlsx")
    return draw()


@st.composite
def variants(draw, base: Grid, transforms: dict[str, Transform], exclude: frozenset[str] = frozenset(),
             max_steps: int = 4, csv: st.SearchStrategy[Container] | None = None,
             xlsx: st.SearchStrategy[Container] | None = None, only: tuple[str, ...] = ()) -> Variant:
    """A combination of transformations of ``base`` (``only``: exactly those), written to a container."""
    names = list(only) or draw(st.lists(st.sampled_from(sorted(set(transforms) - exclude)), unique=True,
                                        max_size=max_steps))
    steps = sorted((draw(transforms[n].strategy) for n in names), key=lambda s: s.phase)
    grid = base
    for step in steps:
        grid = step.apply(grid)
    containers = [c for c in (csv, xlsx) if c is not None]
    if any(s.workbook for s in steps) or grid.sheet_rows:
        containers = [xlsx]
    container = draw(st.one_of(*containers)) if len(containers) > 1 else draw(containers[0])
    try:
        data = container.write(grid)
    except UnicodeEncodeError:  # e.g. a narrow no-break space in cp1252: that file cannot exist
        from hypothesis import reject

        reject()
    misnamed = draw(st.booleans())  # the name says another format: read by content
    extension = {"csv": "xlsx", "xlsx": "csv"}[container.extension] if misnamed else container.extension
    documented = all(transforms[s.name].documented for s in steps)
    return Variant(data, f"fichier.{extension}", tuple(steps), container.detail + (", mal nommé" if misnamed else ""),
                   documented)


def metamorphic_settings(max_examples: int):
    """Deterministic and bounded: the same examples on every run (CI), no example database, no
    deadline (a workbook takes a variable few tens of milliseconds to write)."""
    from hypothesis import HealthCheck, Phase, settings

    # No shrinking: a failing variant is printed as drawn (its repr names every step), and the run
    # stays within its time budget even when a reader regresses.
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


def property_tests(transforms: dict, known_gaps: dict[str, str], variants: Callable, check: Callable,
                   gap_variant: Callable, combined_examples: int) -> tuple[Callable, Callable, Callable]:
    """The three property tests every source's file runs alike, bound to its transformations:
    each transformation alone (2 examples), several combined (``combined_examples``), and each known
    gap as a strict xfail on its fixed reproducer (left out of the other two). Assign them to
    ``test_…`` names in the file: pytest collects them there, with its ``clean`` fixture."""
    import pytest
    from hypothesis import given

    @pytest.mark.parametrize("name", sorted(set(transforms) - set(known_gaps)))
    def each_transformation_alone(name, clean):
        @metamorphic_settings(2)
        @given(variants(only=(name,)))
        def one(variant):
            check(clean, variant)
        one()

    @metamorphic_settings(combined_examples)
    @given(variant=variants(exclude=frozenset(known_gaps)))
    def combined_transformations(clean, variant):
        check(clean, variant)

    @pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=f"issue 19: {why}"))
                                      for n, why in sorted(known_gaps.items())])
    def known_gap(name, clean):
        check(clean, gap_variant(name))

    return each_transformation_alone, combined_transformations, known_gap


def unsaved_formulas(fields: list[str], name: str = "unsaved_formulas") -> st.SearchStrategy[Step]:
    """Numbers of some columns written as formulas (``=1*1``) by a program that saves no result (openpyxl):
    what a spreadsheet would show, but not what the file holds (issue 26). Read right or refused, never 0."""
    @st.composite
    def draw(draw):
        chosen = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=2, unique=True))

        def apply(grid: Grid) -> Grid:
            for field_name in chosen:
                grid = grid.map_cells(field_name, lambda c: f"={str(c).strip()}*1" if str(c).strip().isdigit() else c)
            return grid
        return Step(name, ", ".join(chosen), apply, ROWS, workbook=True)
    return draw()
