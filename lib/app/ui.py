"""Small Streamlit building blocks shared by the pages (formatting, captions, downloads)."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from lib.app import data
from lib.core.errors import DataError
from lib.core.fmt import FORMATTERS, fr_int  # noqa: F401  (FORMATTERS: pages use ui.FORMATTERS)
from lib.datasets.in_use import Datasets
from lib.render.tables import styled  # noqa: F401

DEMO_LABEL = "Données de démonstration"
# Streamlit writes the file uploader's button and limits in English and has no setting for them:
# the French words are drawn by CSS (screen readers read generated content too).
FRENCH_WIDGETS_CSS = """<style>
[data-testid=stFileUploaderDropzone] [data-testid=stBaseButton-secondary] [data-testid=stMarkdownContainer] p{font-size:0}
[data-testid=stFileUploaderDropzone] [data-testid=stBaseButton-secondary] [data-testid=stMarkdownContainer] p::after{
  content:"Choisir un fichier";font-size:0.875rem}
[data-testid=stFileUploaderDropzoneInstructions] span{font-size:0}
[data-testid=stFileUploaderDropzoneInstructions] span::after{content:"ou le glisser ici — 200 Mo au plus";font-size:0.875rem}
</style>"""


def french_widgets() -> None:
    st.html(FRENCH_WIDGETS_CSS)

def source_caption(*keys: str, extra: str = "") -> None:
    """The provenance line of one or more datasets of ``data/`` under a map or chart."""
    st.caption(" · ".join(dataset_captions(*keys)) + (f" {extra}" if extra else ""))


def dataset_captions(*keys: str) -> list[str]:
    """Provenance lines; the Insee workbook's is the one of the file in use (imported, configured
    or bundled), so no caption can name a stale edition."""
    known = data.catalog()
    return [data.source_line("unemployment") if key == "chomage_localise_insee" else known[key].caption
            for key in keys if key in known]


DATA_COLUMN = "donnees"  # every downloaded CSV says whether its figures are real or demonstration
DATA_VALUES = {True: "démonstration", False: "réelles"}


def with_data_flag(frame: pd.DataFrame, demo: bool) -> pd.DataFrame:
    """The table with a last column ``donnees`` = ``démonstration`` or ``réelles``."""
    return frame.assign(**{DATA_COLUMN: DATA_VALUES[bool(demo)]})


def csv_download(frame: pd.DataFrame, filename: str, label: str = "Télécharger le tableau (CSV)", *, demo: bool) -> None:
    """A CSV download of a view; ``demo`` (required: every caller decides) says whether the view is
    built on demonstration data, written in the file's ``donnees`` column so the mention travels.

    The file is written when the button is clicked (Streamlit's deferred download), not on every
    run of the page: a page offers up to eight tables, most never downloaded."""
    st.download_button(
        label,
        lambda: csv_bytes(frame, demo),
        file_name=filename,
        mime="text/csv",
        icon=":material/download:",
        key=f"dl-{filename}",
        on_click="ignore",  # a download changes nothing on the page: no rerun
    )


def png_download(build: Callable[[Datasets], bytes], filename: str, key: str, help: str | None = None,
                 label: str = "Carte (PNG)") -> None:
    """« Carte (PNG) »: the image ``build(datasets)`` draws (a view's static map, with its title, legend, source
    and date) from the session's datasets, drawn when clicked (deferred download, as :func:`csv_download`)."""
    ds = data.datasets()  # taken now: the click's build runs outside the page's run
    st.download_button(label, lambda: build(ds), file_name=filename, mime="image/png", icon=":material/image:",
                       key=key, help=help, on_click="ignore")


PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def deck_download(dep: str | None, key: str) -> None:
    """« Diaporama CREFOP (PowerPoint) » of ``dep`` (``None``: the whole region), built from the session's
    datasets when clicked (deferred download: about 1 s once the pages' views are computed, never on a page run)."""
    from lib.views import deck

    ds = data.datasets()  # taken now: the click's build runs outside the page's run

    template = ds.scan.template if ds.scan is not None else None  # the prefecture's, placed in PRIC_DATA_DIR
    if template is not None and not _usable_template(template):
        template = None  # said once above the button: the built-in layout is used

    def build() -> bytes:
        content = template.read_bytes() if template is not None else None
        name = template.name if template is not None else "modèle"
        return deck.region_deck(ds, None, content, name) if dep is None else deck.department_deck(ds, dep, None, content,
                                                                                                    name)

    st.download_button("Diaporama CREFOP (PowerPoint)", build, file_name=f"crefop_{dep or ds.region.code}.pptx",
                       mime=PPTX_MIME, icon=":material/slideshow:", key=key, on_click="ignore",
                       help="Diapositives modifiables (graphiques et tableaux natifs), sources dans les notes de "
                            "l'orateur ; données de démonstration signalées sur chaque diapositive.")


def _usable_template(path) -> bool:
    """Whether the folder's template can carry the deck (checked once per file and session); if not, why, in French."""
    from lib.render.deck import check_template

    key = f"template-ok:{path}:{path.stat().st_mtime_ns}"
    if key not in st.session_state:
        try:
            check_template(path.read_bytes(), path.name)
            st.session_state[key] = ""
        except DataError as err:
            st.session_state[key] = f"{err} Le diaporama utilise la mise en page intégrée."
    if st.session_state[key]:
        st.warning(st.session_state[key])
    return not st.session_state[key]


def csv_bytes(frame: pd.DataFrame, demo: bool) -> bytes:
    """The CSV a download button gives: the table and its ``donnees`` column, UTF-8."""
    return with_data_flag(frame, demo).to_csv(index=False).encode("utf-8")


def demo_banner(what: str = DEMO_LABEL) -> None:
    """Visible warning that the view uses demonstration data."""
    st.warning(f"**{what}** — chiffres fictifs générés pour montrer le fonctionnement ; ne pas citer.")


def read_error(err: Exception, what: str) -> str:
    """The French sentence for any error a reader raised on ``what`` (« x.csv » or « Le fichier »)."""
    if isinstance(err, DataError):
        return str(err)
    if isinstance(err, MemoryError):
        return f"{what} est trop volumineux pour être lu en mémoire : découpez-le ou filtrez l'export."
    return (f"{what} n'a pas pu être lu : erreur inattendue du lecteur ({type(err).__name__}). Vérifiez son format "
            "(page Sources et méthodologie) ; si le fichier est correct, signalez-le.")


def accept_upload(kind: str, upload, read: Callable[[bytes, str], object]) -> bool:
    """Read a file the user just gave with ``read`` (the CLI's reader); once read right it is used
    for ``kind`` on every page of the session, until dropped on the page Données. On bad input the
    French message is shown and the data in use stay as they were. Returns True when accepted."""
    if upload is None or upload.file_id in data.dropped_uploads():  # dropped, still in the uploader
        return False
    data.note_upload(kind, upload.file_id)
    content, name = upload.getvalue(), upload.name
    if data.imported_files().get(kind) == (content, name):
        return True
    try:
        read(content, name)
    except Exception as err:  # noqa: BLE001 — every reader error reaches the user in French (read_error)
        st.error(read_error(err, f"« {name} »"))
    else:
        data.import_file(kind, content, name)
        return True
    st.info("Les données en usage sont conservées (page Données pour les voir).")
    return False


def records_as_of_in_use(code: str):
    """The observation date the imported records are read at: the one chosen, else their latest
    plausible date; ``None`` if they cannot be read."""
    if data.records_as_of() is not None:
        return data.records_as_of()
    try:
        return data.datasets().records()[1].meta.get("as_of")
    except DataError:
        return None


def change_records_as_of(code: str, as_of) -> None:
    """A new observation date is kept only if the imported records can be read at that date (every
    page reads them): otherwise the French reason is shown and the previous date stays. Getting
    back the date in use (the field shows it) is no change."""
    previous = data.records_as_of()
    in_use = records_as_of_in_use(code)
    if (previous is None and as_of is None) or (as_of is not None and in_use is not None
                                                 and pd.Timestamp(as_of) == in_use):
        return
    data.set_records_as_of(as_of)
    try:
        data.datasets().records()
    except DataError as err:
        data.set_records_as_of(previous)
        st.error(f"Date d'observation non retenue : {err}")


def accept_mapping(upload, read: Callable[[bytes], object]) -> None:
    """A column/code mapping profile for the records, checked by ``read``; kept for the session."""
    try:
        mapping = read(upload.getvalue())
    except DataError as err:
        st.error(str(err))
        return
    if data.records_mapping() != mapping:
        data.set_records_mapping(mapping)
        st.rerun()


def load_or_fallback(load: Callable, upload_args: tuple | None, fallback_args: tuple, fallback_note: str):
    """Read an uploaded file with ``load``; on bad input, show the French message, say what is shown
    instead and fall back to the bundled file. Returns ``(result, used_upload)``.

    Every error is caught: a reader's bug must reach the user as a French sentence, never a traceback."""
    if upload_args is None:
        return load(*fallback_args), False
    try:
        return load(*upload_args), True
    except Exception as err:  # noqa: BLE001 — see the docstring
        st.error(read_error(err, "Le fichier"))
    st.info(fallback_note)
    return load(*fallback_args), False


def stale_notice(dataset: str, edition: str) -> None:
    """Say plainly when a newer edition of ``dataset`` probably exists, and where to load it."""
    from lib.indicators.freshness import quarterly_staleness

    stale = quarterly_staleness(dataset, edition)
    if stale is not None:
        st.info(stale.message)


def month_label(month: str) -> str:
    """``2024-09`` -> ``09/2024`` (French month format)."""
    year, _, number = str(month).partition("-")
    return f"{number}/{year}" if number else str(month)


def dataset_coverage(kind: str, code: str | None = None) -> tuple[list[tuple[str, str]], object]:
    """What the dataset in use for ``kind`` covers, and its import report (:func:`lib.views.files_in_use.coverage`)."""
    from lib.views import files_in_use

    return data.view(files_in_use.coverage, kind)


REPORT_HEADERS = {"type": "Type", "motif": "Motif", "lignes": "Lignes", "numeros_de_ligne": "Numéros de ligne"}


def report_table(report) -> pd.DataFrame:
    """The import report's table with French headers, for the screen (the CSV keeps its column names)."""
    return report.as_table().rename(columns=REPORT_HEADERS)


def offer_filter_params(prefix: str, months: list[str]) -> list:
    """The offer filters' URL parameters (domains, certifying, period, threshold), alike on the pages
    built on white zones; keys ``<prefix>_nsf`` …, the period defaulting to the command line's."""
    from lib.app import share
    from lib.indicators import white_zones as wz

    return [share.Param(f"{prefix}_nsf", "nsf", "list", default=[]),
            share.Param(f"{prefix}_cert", "certifiantes", "bool", default=False),
            share.Param(f"{prefix}_period", "periode", "range", default=wz.default_period() if months else None),
            share.Param(f"{prefix}_threshold", "seuil", "int", default=int(wz.DEFAULT_THRESHOLD_KM))]


def offer_filters(params: list, groups: pd.DataFrame, months: list[str]) -> tuple[tuple[str, ...], bool, tuple | None, int]:
    """The offer filters' widgets on one row (``params`` from :func:`offer_filter_params`): chosen NSF
    groups, certifying only, period (``None`` for an offer without dates) and threshold in km."""
    from lib.app import share
    from lib.indicators import white_zones as wz
    from lib.indicators.offer import month_label

    nsf, cert, period_param, threshold = params
    options = wz.period_options(months) if months else []
    c1, c2, c3, c4 = st.columns([3, 1.2, 2.6, 2])
    chosen = c1.multiselect("Domaine (groupe NSF)", groups["groupe"].tolist(), key=nsf.key, placeholder="Tous les domaines",
                            format_func=dict(zip(groups["groupe"], groups["groupe"] + " – " + groups["libelle"])).get,
                            select_all=False)
    certifying = c2.toggle("Certifiantes seulement", key=cert.key)
    period = c3.select_slider("Sessions actives entre", options=options, key=period_param.key, format_func=month_label,
                              value=share.initial(period_param, options)) if months else None
    km = c4.slider("Seuil (km)", 5, 60, step=5, key=threshold.key)
    return tuple(chosen), certifying, tuple(period) if period else None, int(km)
