"""Cell parsers shared by the importers: the same value written the ways real exports write it.

Each parser works on the distinct values of a column (a million records hold a few thousand
distinct dates and a handful of codes), so it stays fast, and returns the parsed column plus
a mask of cells that were filled but could not be read (for the import report).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lib.core.text import normalise

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Excel serial numbers of 1990-01-01 .. 2100-01-01: a bare number in that range in a date column.
SERIAL_RANGE = (32874, 73051)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d/%m/%y", "%Y%m%d")
TRUE_WORDS = {"1", "oui", "o", "vrai", "true", "t", "yes", "y", "x"}
FALSE_WORDS = {"0", "non", "n", "faux", "false", "f", "no"}
SPACES = re.compile(r"[\s\u00a0\u202f']")


def _by_unique(values: pd.Series, parse) -> pd.Series:
    """Apply ``parse`` (unique values -> parsed values) and broadcast back to the column."""
    codes, uniques = pd.factorize(values.astype("str"), use_na_sentinel=False)
    parsed = parse(pd.Series(uniques, dtype="str").str.strip())
    return pd.Series(np.asarray(parsed)[codes], index=values.index)


def dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO, ``dd/mm/yyyy``, with a time part, Excel serial numbers -> (datetime64, invalid mask)."""
    def parse(uniques: pd.Series) -> np.ndarray:
        day = uniques.str.split("T").str[0].str.split(" ").str[0]
        parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns]")
        for fmt in DATE_FORMATS:
            missing = parsed.isna() & day.ne("")
            if not missing.any():
                break
            parsed[missing] = pd.to_datetime(day[missing], format=fmt, errors="coerce")
        serial = pd.to_numeric(uniques.str.replace(",", ".", regex=False), errors="coerce")
        is_serial = parsed.isna() & serial.between(*SERIAL_RANGE) & uniques.str.fullmatch(r"\d{5}([.,]\d+)?")
        parsed[is_serial] = EXCEL_EPOCH + pd.to_timedelta(serial[is_serial].astype(int), unit="D")
        return parsed.to_numpy()

    parsed = pd.to_datetime(_by_unique(values, parse))
    filled = values.astype("str").str.strip().ne("")
    return parsed, filled & parsed.isna()


def _keys(uniques: pd.Series) -> pd.Series:
    """Comparison keys: ``2.0`` -> ``2`` (spreadsheets), then no case, accents, spaces or punctuation."""
    numeric = uniques.str.replace(r"^(\d+)(?:[.,]0+)?$", r"\1", regex=True)
    keys = numeric.map(lambda v: normalise(v).replace(" ", ""))
    return keys.where(keys.ne("") | uniques.eq(""), "\x01")  # "?" is filled, not empty


def flags(values: pd.Series, field_words: frozenset[str] = frozenset()) -> tuple[pd.Series, pd.Series]:
    """0/1, oui/non, vrai/faux, O/N, TRUE/FALSE -> 1.0 / 0.0 / NaN (empty), plus the invalid mask.

    A column written with ``x`` for yes and nothing else (a tick column) reads empty as 0.
    A column written as labels (« Inscrit » / « Non inscrit », « QPV » / « Hors QPV ») is read when
    its labels split cleanly into one positive form and its negation (:func:`label_flags`);
    otherwise they are invalid (unknown, reported), never read as « non ». A column holding one form
    only (« Inscrit » for every entry) is read when the label names the field (``field_words``, word
    beginnings: « inscrit » for a registration flag). « Non renseigné »,
    « Inconnu », « NSP »… are unknown (NaN), not « non ».
    """
    codes, uniques = pd.factorize(values.astype("str"), use_na_sentinel=False)
    uniques = pd.Series(uniques, dtype="str").str.strip()
    words = _keys(uniques)
    out = np.full(len(words), np.nan)
    out[words.isin(TRUE_WORDS).to_numpy()] = 1.0
    out[words.isin(FALSE_WORDS).to_numpy()] = 0.0
    spoken = uniques.map(normalise)
    said_unknown = (spoken.isin(UNKNOWN_WORDS) | words.isin(UNKNOWN_WORDS)).to_numpy()
    other = (words.ne("") & ~words.isin(TRUE_WORDS | FALSE_WORDS)).to_numpy() & ~said_unknown
    out[other] = -1.0
    leftover = other & spoken.str.contains("[a-z]", regex=True).to_numpy()  # a stray "2" is no label
    if leftover.any():
        out[leftover] = label_flags(spoken[leftover].tolist(), field_words)
    parsed = pd.Series(out[codes], index=values.index).astype(float)
    if is_tick_column(values):
        parsed = parsed.fillna(0.0)
    invalid = parsed.eq(-1.0)
    return parsed.where(~invalid, np.nan), invalid


# Words that say « no » inside a label (« Non inscrit », « Hors QPV », « Sans emploi », « N'est pas… »).
NEGATIONS = {"non", "pas", "hors", "sans", "ni", "aucun", "aucune", "jamais", "no", "not"}
# Words that carry no meaning in a flag label (« Oui, inscrit », « Bénéficiaire du RSA »).
FILLERS = {"oui", "du", "de", "des", "d", "la", "le", "l", "les", "au", "aux", "a", "en", "est", "un", "une", "ne", "n",
           "s", "y", "et", "yes"}
# A value saying the answer is not known: unknown, never « non » (although « non renseigné » holds « non »).
UNKNOWN_WORDS = {"non renseigne", "non renseignee", "nr", "inconnu", "inconnue", "ne sait pas", "nsp", "non connu",
                 "non communique", "nc", "nd", "n d", "na", "n a", "non disponible", "non precise", "non determine",
                 "a determiner", "a renseigner", "sans information", "pas d information", "sans objet", "so", "null",
                 "none", "nan", "unknown", "inconnu e", "non defini", "non saisi"}


def _stem(token: str) -> str:
    """« inscrite », « inscrits » -> « inscrit »: a label's gender and number do not change its meaning."""
    return (token.rstrip("es") or token) if len(token) > 3 else token


def label_flags(labels: list[str], field_words: frozenset[str] = frozenset()) -> np.ndarray:
    """Normalised labels of one flag column -> 1.0 (positive form), 0.0 (its negation) or -1.0 (unreadable).

    Read only when they split cleanly into both forms: every label without a negation word says the same thing
    (same words once fillers and gender/number endings are dropped), every label with one negates
    a subset or superset of it (« Demandeur d'emploi » / « Non demandeur »). Anything else (two
    different positive labels, « Radié », « Non concerné » beside « Inscrit ») leaves every label of
    the column unreadable: a guess would turn an unknown into a « non ».
    """
    parsed = []
    for label in labels:
        tokens = label.split()
        negated = any(t in NEGATIONS for t in tokens)
        core = frozenset(_stem(t) for t in tokens if t not in NEGATIONS and t not in FILLERS)
        parsed.append((negated, core))
    positive = {core for negated, core in parsed if not negated}
    negative = {core for negated, core in parsed if negated}
    # Both forms must be there: a lone « Échec » beside 1/0 in a result column, or a lone label beside
    # empty cells, could mean yes as well as no.
    clean = (len(positive) == 1 and len(negative) == 1 and all(core for _, core in parsed)
             and (next(iter(positive)) <= next(iter(negative)) or next(iter(negative)) <= next(iter(positive))))
    # One form only (every entry « Inscrit », or « Hors QPV »): read when its words name the field.
    alone = (len(positive) + len(negative) == 1 and all(core for _, core in parsed)
             and any(word.startswith(tuple(field_words)) for word in next(iter(positive | negative))) if field_words
             else False)
    if not (clean or alone):
        return np.full(len(labels), -1.0)
    return np.array([0.0 if negated else 1.0 for negated, _ in parsed])


def is_tick_column(values: pd.Series) -> bool:
    """True when the only filled value is ``x`` (ticked) and some cells are empty."""
    distinct = set(values.astype("str").str.strip().str.lower().unique())
    return distinct == {"x", ""}


class AmbiguousNumbers(ValueError):
    """Values such as ``2.000`` that the column cannot tell apart (2 or 2 000): ``positions`` of the rows."""

    def __init__(self, positions: np.ndarray, examples: list[str]):
        super().__init__(", ".join(examples))
        self.positions = positions
        self.examples = examples


def _separator_roles(text: pd.Series, count: bool) -> dict[str, str]:
    """What ``.`` and ``,`` are in this column: ``thousands``, ``decimal`` or ``unknown``.

    Told by the other values of the column: ``1.234.567`` or ``1.234,5`` say ``.`` groups thousands;
    ``14322.0``, ``3.5`` or ``25,0`` say it marks decimals. A column that says neither is a column
    of whole numbers: in a count (``count``), ``2.000`` is then 2 000 (the only reading where a
    count is written without decimals elsewhere); elsewhere it stays ``unknown``."""
    roles = {}
    for sep, other in ((".", ","), (",", ".")):
        s, o = re.escape(sep), re.escape(other)
        thousands = (text.str.fullmatch(rf"-?\d{{1,3}}({s}\d{{3}}){{2,}}({o}\d+)?")
                     | text.str.fullmatch(rf"-?\d{{1,3}}({s}\d{{3}})+{o}\d+")).any()
        # In a count, only three decimals elsewhere (« 14322.000 ») say that « 2.000 » is 2: a count
        # written « 14322.0 » beside « 2.000 » does not tell which the latter is.
        places = r"\d{3}" if count else r"\d+"
        decimal = (text.str.fullmatch(rf"-?\d*{s}{places}") & ~text.str.fullmatch(rf"-?\d{{1,3}}{s}\d{{3}}")).any() | \
            text.str.fullmatch(rf"-?\d{{1,3}}({o}\d{{3}})+{s}{places}").any()
        if count and not decimal and (text.str.fullmatch(rf"-?\d*{s}\d+") & ~text.str.fullmatch(rf"-?\d{{1,3}}{s}\d{{3}}")).any():
            roles[sep] = "unknown"  # decimals of another width: the column writes decimals, not which
            continue
        if thousands and decimal:
            roles[sep] = "unknown"
        elif thousands or (count and not decimal):
            roles[sep] = "thousands"
        elif decimal:
            roles[sep] = "decimal"
        else:
            roles[sep] = "unknown"
    return roles


def numbers(values: pd.Series, count: bool = False) -> tuple[pd.Series, pd.Series]:
    """``"14 322"``, ``"25,0"``, ``"1.0"``, ``"1.234.567"``, ``"1 234,5"`` -> floats (NaN when empty),
    plus the invalid mask.

    A value that could hold a thousands separator (``2.000``, ``1,500``: one group of three digits)
    is read as the rest of the column writes numbers (:func:`_separator_roles`); ``count``: the
    column holds counts (whole numbers). When the column cannot tell, :class:`AmbiguousNumbers`
    is raised with the rows concerned: read as 2 or as 2 000, one of them is a wrong figure.
    """
    codes, uniques = pd.factorize(values.astype("str"), use_na_sentinel=False)
    text = pd.Series(uniques, dtype="str").str.strip().str.replace(SPACES, "", regex=True)
    roles = _separator_roles(text, count)
    out = text.copy()
    for sep, other in ((".", ","), (",", ".")):
        s, o = re.escape(sep), re.escape(other)
        grouped = text.str.fullmatch(rf"-?\d{{1,3}}({s}\d{{3}}){{2,}}({o}\d+)?") | \
            text.str.fullmatch(rf"-?\d{{1,3}}({s}\d{{3}})+{o}\d+")
        single = text.str.fullmatch(rf"-?\d{{1,3}}{s}\d{{3}}")
        as_thousands = grouped | (single & (roles[sep] == "thousands"))
        out = out.where(~as_thousands, out.str.replace(sep, "", regex=False))
    out = out.str.replace(",", ".", regex=False).where(out.str.fullmatch(r"-?\d*,\d+"), out)
    ambiguous = pd.Series(False, index=text.index)
    for sep in (".", ","):
        if roles[sep] == "unknown":
            ambiguous |= text.str.fullmatch(rf"-?\d{{1,3}}{re.escape(sep)}\d{{3}}")
    parsed_uniques = pd.to_numeric(out.replace("", np.nan), errors="coerce").to_numpy(dtype=float)
    if ambiguous.any():
        rows = np.flatnonzero(ambiguous.to_numpy()[codes])
        raise AmbiguousNumbers(rows, text[ambiguous].head(5).tolist())
    parsed = pd.Series(parsed_uniques[codes], index=values.index)
    filled = values.astype("str").str.strip().ne("")
    return parsed, filled & parsed.isna()


def coded(values: pd.Series, vocabulary: dict[str, tuple[str, ...]]) -> tuple[pd.Series, pd.Series]:
    """Codes or French labels -> codes: ``vocabulary`` maps each code to its labels and variants,
    compared without case, accents or punctuation. Returns (codes with "" when empty, unknown mask)."""
    lookup: dict[str, str] = {}
    for code, labels in vocabulary.items():
        for label in (code, *labels):
            lookup.setdefault(_keys(pd.Series([label], dtype="str")).iloc[0], code)

    def parse(uniques: pd.Series) -> np.ndarray:
        keys = _keys(uniques)
        codes = keys.map(lookup)
        return np.where(keys.eq(""), "", codes.fillna("\x00").to_numpy(dtype=object))

    parsed = _by_unique(values, parse)
    unknown = parsed.eq("\x00")
    return parsed.where(~unknown, "").astype("str"), unknown
