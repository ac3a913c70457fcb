"""Column and code mapping profiles: records whose header or codes differ from the documented ones.

A profile is a small JSON file an analyst saves once (page Données, or by hand) and reuses for
every monthly export (``--mapping FILE`` on the command line)::

    {"format": "pric-mapping/1",
     "columns": {"Date début stage": "entry_date", "Identifiant DE": "person_id"},
     "codes": {"outcome": {"Sortie anticipée": "abandon"}}}

``columns`` maps the file's header to the documented field; ``codes`` maps, per coded field, a
value of the file to a documented code. Both only *add* names: the documented ones keep working.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from lib.core.errors import DataError
from lib.core.text import normalise
from lib.sources.opener_columns import PLACE_WORDS, ColumnNames, match_columns

FORMAT = "pric-mapping/1"
PLACE = set().union(*PLACE_WORDS.values())


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def aliases(self, columns: dict[str, tuple[str, ...]]) -> ColumnNames:
        """``columns`` (canonical -> aliases) with the profile's headers added; a header the profile
        assigns settles its field even when another column could fit it too."""
        out = {name: tuple(aliases) for name, aliases in columns.items()}
        for header, name in self.columns.items():
            if name in out:
                out[name] = (*out[name], header)
        return ColumnNames(out, {h: n for h, n in self.columns.items() if n in out})

    def vocabulary(self, name: str, vocabulary: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        """A coded field's vocabulary (code -> labels) with the profile's values added."""
        out = {code: tuple(labels) for code, labels in vocabulary.items()}
        for value, code in self.codes.get(name, {}).items():
            if code in out:
                out[code] = (*out[code], value)
        return out

    def to_json(self) -> bytes:
        return json.dumps({"format": FORMAT, "columns": self.columns, "codes": self.codes}, ensure_ascii=False,
                          indent=2).encode("utf-8")


def load_mapping(source: str | Path | bytes, known_fields: set[str], vocabularies: dict[str, dict]) -> Mapping:
    """Read and check a profile: every target must be a documented field or code."""
    name = "profil" if isinstance(source, (bytes, bytearray)) else Path(str(source)).name
    try:
        raw = bytes(source) if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
        data = json.loads(raw.decode("utf-8-sig"))
    except FileNotFoundError as err:
        raise DataError(f"Profil d'association introuvable : {source}.") from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataError(f"« {name} » n'est pas un profil d'association lisible (JSON attendu).") from err
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataError(f"« {name} » n'est pas un profil d'association du tableau de bord (format {FORMAT} attendu).")
    columns = data.get("columns") or {}
    codes = data.get("codes") or {}
    if not isinstance(columns, dict) or not isinstance(codes, dict):
        raise DataError(f"« {name} » : « columns » et « codes » doivent être des dictionnaires.")
    unknown = sorted({str(v) for v in columns.values()} - known_fields)
    if unknown:
        raise DataError(f"« {name} » : champ(s) inconnu(s) : {', '.join(unknown)} (possibles : {', '.join(sorted(known_fields))}).")
    for field_name, values in codes.items():
        if field_name not in vocabularies or not isinstance(values, dict):
            raise DataError(f"« {name} » : champ codé inconnu : {field_name} (possibles : {', '.join(sorted(vocabularies))}).")
        bad = sorted({str(c) for c in values.values()} - set(vocabularies[field_name]))
        if bad:
            raise DataError(f"« {name} » : code(s) inconnu(s) pour {field_name} : {', '.join(bad)} "
                            f"(possibles : {', '.join(vocabularies[field_name])}).")
    return Mapping({str(k): str(v) for k, v in columns.items()},
                   {f: {str(k): str(v) for k, v in values.items()} for f, values in codes.items()})


def suggest_columns(headers: list[str], columns: dict[str, tuple[str, ...]], cutoff: float = 0.6) -> dict[str, str]:
    """A first guess of the mapping: the headers the reader matches, then the others by similarity of
    the normalised names (each field used once). A field several columns fit is not guessed, and
    its candidates are not offered to another field: the user says which is which."""
    found, ambiguous = match_columns(headers, columns)
    guess = {headers[position]: name for position, name in found.items()}
    used = set(found.values()) | set(ambiguous)
    asked = {header for candidates in ambiguous.values() for header in candidates}
    names = {normalise(label): field_name for field_name, aliases in columns.items() for label in (field_name, *aliases)}
    for header in headers:
        key = normalise(header)
        if not key or header in guess or str(header).strip() in asked or set(key.split()) & PLACE:
            continue  # a place column left unmatched is no other field (« commune de formation » ≠ « niveau de formation »)
        for candidate in difflib.get_close_matches(key, list(names), n=5, cutoff=cutoff):
            if names[candidate] not in used:
                guess[header] = names[candidate]
                used.add(names[candidate])
                break
    return guess


def file_headers(data: bytes, filename: str) -> list[str]:
    """The header of a table file whatever its format (first row of at least two cells), to map it;
    a file no header can be read from gives the reader's French refusal (:class:`DataError`)."""
    import io

    from lib.sources.opener import single_file_in_zip
    from lib.sources.opener_formats import decode_text, format_refusal, sniff_format
    from lib.sources.opener_sheets import cell_text, html_table
    from lib.sources.opener_text import SEPARATORS

    kind = sniff_format(data)
    refusal = format_refusal(kind, filename)
    if refusal:
        raise DataError(refusal)
    if kind == "zip":
        inner, content = single_file_in_zip(data, filename)
        return file_headers(content, inner)
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            return list(pq.ParquetFile(io.BytesIO(data)).schema_arrow.names)
        except Exception as err:  # noqa: BLE001 — pyarrow raises its own types for a damaged file
            raise DataError(f"« {filename} » : fichier parquet incomplet ou endommagé.") from err
    if kind in ("xls", "xlsx", "ods", "html"):
        if kind == "html":
            sheets = [html_table(data, filename)]
        else:
            from python_calamine import CalamineWorkbook

            try:
                workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
                sheets = []
                for name in workbook.sheet_names:
                    try:
                        sheets.append(workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)[:15])
                    except Exception:  # noqa: BLE001, S112 — a chart sheet: no header
                        continue
            except Exception as err:  # noqa: BLE001 — calamine raises several types for a damaged workbook
                raise DataError(f"« {filename} » : classeur illisible (incomplet ou endommagé).") from err
        # The widest first row of at least two cells, whatever sheet holds it (not a « Lisez-moi » sheet's).
        firsts = [next((r for r in rows if sum(1 for c in r if cell_text(c)) >= 2), []) for rows in sheets]
        row = max(firsts, key=lambda r: sum(1 for c in r if cell_text(c)), default=[])
        return [cell_text(c) for c in row if cell_text(c)]
    text = decode_text(data[:200_000], filename)
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    sep = max(SEPARATORS, key=line.count)
    return [cell.strip().strip('"') for cell in line.split(sep) if cell.strip()]
