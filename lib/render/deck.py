"""An editable PowerPoint deck (python-pptx, offline) from plain inputs: slides of native charts (their data
inside, « Modifier les données »), native tables, pictures with their alternative text and bullet text, each
with its title in the title placeholder and its speaker notes.

Without a template: a sober built-in layout (16:9, titles 32 pt, body 18 pt and more, dark text on white).
With a template (a ``.pptx``'s bytes): its masters and layouts, its own slides removed, every slide on its
« Titre seul » layout (found by its title placeholder). Shapes are added top to bottom, left to right: the
reading order of a screen reader is the visual order.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from lib.core.errors import DataError

# Stored in PowerPoint's invariant form: a French PowerPoint shows « 7,5 % » (comma, narrow space).
PERCENT_FORMAT = '0.0" %"'
TEXT = RGBColor(0x1A, 0x1A, 0x1A)  # on white: contrast 17:1
DEMO = RGBColor(0x9C, 0x00, 0x06)  # dark red on white: contrast 8,6:1 (the mention is also written, not colour alone)
HEADER_FILL, HEADER_TEXT = RGBColor(0x1F, 0x38, 0x64), RGBColor(0xFF, 0xFF, 0xFF)  # contrast 12:1
BAND_FILL = RGBColor(0xF2, 0xF2, 0xF2)
SERIES_COLORS = [RGBColor(0x1F, 0x4E, 0x79), RGBColor(0xC5, 0x5A, 0x11), RGBColor(0x40, 0x40, 0x40),
                 RGBColor(0x38, 0x76, 0x1D), RGBColor(0x70, 0x30, 0xA0), RGBColor(0x80, 0x60, 0x00)]
MARKERS = [XL_MARKER_STYLE.CIRCLE, XL_MARKER_STYLE.SQUARE, XL_MARKER_STYLE.TRIANGLE, XL_MARKER_STYLE.DIAMOND,
           XL_MARKER_STYLE.X, XL_MARKER_STYLE.STAR]
DASHES = [MSO_LINE_DASH_STYLE.SOLID, MSO_LINE_DASH_STYLE.DASH, MSO_LINE_DASH_STYLE.ROUND_DOT,
          MSO_LINE_DASH_STYLE.LONG_DASH, MSO_LINE_DASH_STYLE.DASH_DOT, MSO_LINE_DASH_STYLE.SOLID]
TITLE_PT, BODY_PT, TABLE_PT = 32, 20, 18
TITLE_LAYOUTS = ("title only", "titre seul")
COVER_LAYOUTS = ("title slide", "diapositive de titre")
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
LINE_IN = 0.34  # height of a line of 18–20 pt text, inches
CHAR_IN = 0.118  # mean width of a character at 18 pt, inches (Calibri-like)


@dataclass(frozen=True)
class Chart:
    """A native chart: ``kind`` « line » or « bar » (clustered, horizontal); ``series`` (name, values) with
    ``None`` for a value not shown (secret, missing); values in the unit of ``number_format``."""

    kind: str
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    number_format: str = PERCENT_FORMAT
    labels: bool = False  # values written on the bars


@dataclass(frozen=True)
class Picture:
    png: bytes
    alt: str  # what the picture shows, said to a screen reader (``descr``)


@dataclass(frozen=True)
class Slide:
    """One slide answering one question (``title``); ``lines`` a text above the visuals (alone: bullets),
    ``table`` a header row then rows of French texts (split over continuation slides when long),
    ``caption`` a line under the visuals, ``demo`` the demonstration mention (shown and in the notes)."""

    title: str
    notes: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    chart: Chart | None = None
    picture: Picture | None = None
    table: list[list[str]] | None = None
    caption: str = ""
    demo: str = ""
    cover: bool = False


def build_deck(slides: list[Slide], template: bytes | None = None, template_name: str = "modèle") -> bytes:
    """The deck as ``.pptx`` bytes. A template that is not a pptx, or has no layout with a title
    placeholder, raises :class:`DataError` (French)."""
    deck = _Deck(template, template_name)
    for slide in slides:
        deck.add(slide)
    buffer = io.BytesIO()
    deck.prs.save(buffer)
    return buffer.getvalue()


def check_template(template: bytes | None, name: str = "modèle") -> None:
    """:class:`DataError` now (before any figure is computed) when the template cannot be used."""
    if template is not None:
        title_layout(open_template(template, name), name)


def open_template(template: bytes, name: str = "modèle"):
    """The template's presentation with its slides removed; :class:`DataError` when it is not a pptx."""
    try:
        prs = Presentation(io.BytesIO(template))
    except Exception:  # zip, XML or content type: one French sentence whatever the cause
        raise DataError(f"Le modèle « {name} » n'est pas un fichier PowerPoint lisible (.pptx attendu ; un .potx ou "
                        "un .ppt est à enregistrer d'abord en .pptx depuis PowerPoint).") from None
    ids = prs.slides._sldIdLst
    for slide_id in list(ids):
        prs.part.drop_rel(slide_id.rId)
        ids.remove(slide_id)
    return prs


def title_layout(prs, name: str = "modèle"):
    """The « Titre seul » layout, else the layout with a title placeholder and the fewest others."""
    candidates = []
    for layout in prs.slide_layouts:
        types = [ph.placeholder_format.type for ph in layout.placeholders]
        if any(t in TITLES for t in types):
            if layout.name.strip().lower() in TITLE_LAYOUTS:
                return layout
            candidates.append((len(types), layout))
    if not candidates:
        raise DataError(f"Le modèle « {name} » n'a aucune disposition avec un espace réservé de titre (« Titre seul » "
                        "ou « Titre et contenu ») : les titres des diapositives ne seraient pas lus par un lecteur "
                        "d'écran. Ajoutez-en une dans le masque des diapositives, ou utilisez la mise en page intégrée.")
    return min(candidates, key=lambda item: item[0])[1]


def _cover_layout(prs, fallback):
    for layout in prs.slide_layouts:
        types = [ph.placeholder_format.type for ph in layout.placeholders]
        if layout.name.strip().lower() in COVER_LAYOUTS and PP_PLACEHOLDER.CENTER_TITLE in types \
                and PP_PLACEHOLDER.SUBTITLE in types:
            return layout
    return fallback


class _Deck:
    def __init__(self, template: bytes | None, name: str):
        self.builtin = template is None
        if self.builtin:
            self.prs = Presentation()
            self.prs.slide_width, self.prs.slide_height = Inches(13.333), Inches(7.5)
        else:
            self.prs = open_template(template, name)
        self.layout = title_layout(self.prs, name)
        self.cover_layout = _cover_layout(self.prs, self.layout)
        self.width, self.height = self.prs.slide_width, self.prs.slide_height
        self.margin = Inches(0.5)

    # --- slides ------------------------------------------------------------------------------

    def add(self, spec: Slide) -> None:
        if spec.cover:
            self._cover(spec)
            return
        rows = spec.table
        if rows is None:
            self._content(spec, None)
            return
        first, rest = self._split_rows(spec, rows)
        chunks = [first]
        while rest:  # continuation slides: the title, the table's header and the next rows
            room = self._rows_fitting(rows[0], rest, self._table_width(spec, alone=True),
                                      self._body_height(spec, alone=True))
            chunks.append([rows[0], *rest[:room]])
            rest = rest[room:]
        self._content(spec, first)
        for part, chunk in enumerate(chunks[1:], start=2):
            self._content(Slide(f"{spec.title} (suite {part}/{len(chunks)})", spec.notes, table=chunk,
                                caption=spec.caption, demo=spec.demo), chunk)

    def _new_slide(self, title: str, notes: list[str], demo: str, layout=None):
        slide = self.prs.slides.add_slide(layout or self.layout)
        placeholder = next(ph for ph in slide.placeholders if ph.placeholder_format.type in TITLES)
        placeholder.text_frame.text = title
        if self.builtin:
            placeholder.left, placeholder.top = self.margin, Inches(0.3)
            placeholder.width, placeholder.height = self.width - 2 * self.margin, Inches(1.0)
            frame = placeholder.text_frame
            frame.word_wrap = True
            frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            for paragraph in frame.paragraphs:
                paragraph.alignment = PP_ALIGN.LEFT
                for run in paragraph.runs:
                    run.font.size, run.font.bold, run.font.color.rgb = Pt(TITLE_PT), True, TEXT
        # the other placeholders of the layout (body, date, number) would be read empty: removed
        for ph in list(slide.placeholders):
            if ph.placeholder_format.type not in TITLES and ph.placeholder_format.type != PP_PLACEHOLDER.SUBTITLE:
                ph._element.getparent().remove(ph._element)
        slide.notes_slide.notes_text_frame.text = "\n".join([*notes, *([demo] if demo else [])])
        return slide, placeholder

    def _top(self, title_shape) -> int:
        return max(int(title_shape.top + title_shape.height) + int(Inches(0.15)), int(Inches(1.2)))

    def _cover(self, spec: Slide) -> None:
        slide, title = self._new_slide(spec.title, spec.notes, spec.demo, self.cover_layout)
        subtitle = next((ph for ph in slide.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE), None)
        if self.builtin:
            title.top, title.height = Inches(1.6), Inches(1.6)
        if subtitle is not None and not self.builtin:
            _fill(subtitle.text_frame, spec.lines, BODY_PT, self.builtin)
        else:
            if subtitle is not None:
                subtitle._element.getparent().remove(subtitle._element)
            top = self._top(title)
            box = slide.shapes.add_textbox(self.margin, top, self.width - 2 * self.margin, Inches(0.5) * len(spec.lines))
            _fill(box.text_frame, spec.lines, 24 if self.builtin else BODY_PT, self.builtin)
        self._footer(slide, spec)

    def _body_box(self, spec: Slide, alone: bool = False) -> tuple[int, int, int, int]:
        top = int(Inches(1.45)) if self.builtin else self._template_top()
        bottom = int(self.height) - int(Inches(0.3)) - (int(Inches(0.45)) if spec.demo else 0) \
            - (self._caption_height(spec) if spec.caption else 0)
        if spec.lines and not alone and (spec.chart or spec.picture or spec.table):
            top += self._lines_height(spec.lines, int(self.width) - 2 * int(self.margin))
        return int(self.margin), top, int(self.width) - 2 * int(self.margin), bottom - top

    def _template_top(self) -> int:
        ph = next(ph for ph in self.layout.placeholders if ph.placeholder_format.type in TITLES)
        return self._top(ph)

    def _body_height(self, spec: Slide, alone: bool = False) -> int:
        return self._body_box(spec, alone)[3]

    def _caption_height(self, spec: Slide) -> int:
        return self._lines_height([spec.caption], int(self.width) - 2 * int(self.margin))

    def _lines_height(self, lines: list[str], width: int) -> int:
        chars = max(int(Emu(width).inches / CHAR_IN), 10)
        count = sum(max(1, math.ceil(len(line) / chars)) for line in lines)
        return int(Inches(LINE_IN * count + 0.15))

    def _visuals(self, spec: Slide, table) -> list[str]:
        return [kind for kind, there in (("chart", spec.chart), ("picture", spec.picture), ("table", table)) if there]

    def _table_width(self, spec: Slide, alone: bool = False) -> int:
        left, _, width, _ = self._body_box(spec, alone)
        if alone or len(self._visuals(spec, spec.table)) == 1:
            return width
        return int(width * 0.52)

    def _content(self, spec: Slide, table: list[list[str]] | None) -> None:
        slide, _ = self._new_slide(spec.title, spec.notes, spec.demo)
        left, top, width, height = self._body_box(spec)
        if spec.lines:
            if self._visuals(spec, table):
                line_height = self._lines_height(spec.lines, width)
                box = slide.shapes.add_textbox(left, top - line_height, width, line_height)
            else:
                box = slide.shapes.add_textbox(left, top, width, height)
            _fill(box.text_frame, spec.lines, BODY_PT, self.builtin, bullets=len(spec.lines) > 1)
        visuals = self._visuals(spec, table)
        gap = int(Inches(0.3))
        if len(visuals) == 1:
            widths = [width]
        else:  # a table takes the larger share beside a picture or chart (its text is 18 pt)
            first = int(width * (0.46 if "table" in visuals else 0.6)) - gap // 2
            widths = [first, width - first - gap]
        x = left
        for kind, w in zip(visuals, widths):
            if kind == "chart":
                _chart(slide, spec.chart, x, top, w, height)
            elif kind == "picture":
                _picture(slide, spec.picture, x, top, w, height)
            else:
                _table(slide, table, x, top, w, self.builtin)
            x += w + gap
        if spec.caption:
            cap_top = top + height
            box = slide.shapes.add_textbox(left, cap_top, width, self._caption_height(spec))
            _fill(box.text_frame, [spec.caption], TABLE_PT, self.builtin)
        self._footer(slide, spec)

    def _footer(self, slide, spec: Slide) -> None:
        if not spec.demo:
            return
        box = slide.shapes.add_textbox(self.margin, int(self.height) - int(Inches(0.7)),
                                       int(self.width) - 2 * int(self.margin), Inches(0.45))
        _fill(box.text_frame, [spec.demo], TABLE_PT, True, color=DEMO, bold=True)

    # --- tables split over slides --------------------------------------------------------------

    def _split_rows(self, spec: Slide, rows: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
        header, body = rows[0], rows[1:]
        room = self._rows_fitting(header, body, self._table_width(spec), self._body_height(spec))
        return [header, *body[:room]], body[room:]

    def _rows_fitting(self, header: list[str], body: list[list[str]], width: int, height: int) -> int:
        widths = _column_widths([header, *body], width)
        used = _row_height(header, widths)
        for count, row in enumerate(body):
            used += _row_height(row, widths)
            if used > height:
                return max(count, 1)
        return len(body)


def _fill(frame, lines: list[str], size: int, builtin: bool, bullets: bool = False, color: RGBColor | None = None,
          bold: bool = False) -> None:
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = ("• " if bullets else "") + line
        run.font.size, run.font.bold = Pt(size), bold
        if color is not None or builtin:
            run.font.color.rgb = color or TEXT
        paragraph.space_after = Pt(6)


def _chart(slide, spec: Chart, left: int, top: int, width: int, height: int) -> None:
    data = CategoryChartData(number_format=spec.number_format)
    data.categories = spec.categories
    for name, values in spec.series:
        data.add_series(name, [None if v is None or v != v else float(v) for v in values], spec.number_format)
    kind = XL_CHART_TYPE.LINE_MARKERS if spec.kind == "line" else XL_CHART_TYPE.BAR_CLUSTERED
    chart = slide.shapes.add_chart(kind, left, top, width, height, data).chart
    chart.font.size = Pt(TABLE_PT)
    chart.font.color.rgb = TEXT
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.value_axis.tick_labels.number_format = spec.number_format
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xD9, 0xD9, 0xD9)
    for i, series in enumerate(chart.plots[0].series):
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        if spec.kind == "line":
            series.smooth = False
            series.format.line.color.rgb = color
            series.format.line.width = Pt(2.5)
            series.format.line.dash_style = DASHES[i % len(DASHES)]  # not colour alone: dash and marker differ
            series.marker.style = MARKERS[i % len(MARKERS)]
            series.marker.size = 7
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = color
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = color
    if spec.kind == "bar":
        chart.category_axis.reverse_order = True  # first category on top, as read
        chart.plots[0].gap_width = 60
        if spec.labels:
            plot = chart.plots[0]
            plot.has_data_labels = True
            plot.data_labels.number_format = spec.number_format
            plot.data_labels.number_format_is_linked = False
            plot.data_labels.font.size = Pt(TABLE_PT)
    else:  # a long series: one label per year rather than overlapping labels
        chart.category_axis.tick_labels.font.size = Pt(TABLE_PT)
        skip = max(1, math.ceil(len(spec.categories) / 8))
        _label_skip(chart, skip)


def _label_skip(chart, skip: int) -> None:
    """One category label every ``skip`` (c:tickLblSkip, placed where the schema wants it)."""
    from lxml import etree
    from pptx.oxml.ns import qn

    axis = chart.category_axis._element
    for old in axis.findall(qn("c:tickLblSkip")):
        axis.remove(old)
    element = etree.Element(qn("c:tickLblSkip"))
    element.set("val", str(skip))
    after = [axis.find(qn(f"c:{name}")) for name in ("tickMarkSkip", "noMultiLvlLbl", "extLst")]
    anchor = next((a for a in after if a is not None), None)
    if anchor is not None:
        anchor.addprevious(element)
    else:
        axis.append(element)


def _picture(slide, spec: Picture, left: int, top: int, width: int, height: int) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(spec.png)) as image:
        w_px, h_px = image.size
    scale = min(width / w_px, height / h_px)
    w, h = int(w_px * scale), int(h_px * scale)
    picture = slide.shapes.add_picture(io.BytesIO(spec.png), left + (width - w) // 2, top, w, h)
    picture._element.nvPicPr.cNvPr.set("descr", spec.alt)


def _column_widths(rows: list[list[str]], width: int) -> list[int]:
    longest = [max(min(len(str(row[i])), 40) for row in rows) + 2 for i in range(len(rows[0]))]
    total = sum(longest)
    return [int(width * n / total) for n in longest]


def _row_height(row: list[str], widths: list[int]) -> int:
    lines = max(max(1, math.ceil(len(str(text)) * CHAR_IN / max(Emu(w).inches - 0.2, 0.3))) for text, w in zip(row, widths))
    return int(Inches(0.3 * lines + 0.12))


def _table(slide, rows: list[list[str]], left: int, top: int, width: int, builtin: bool) -> None:
    widths = _column_widths(rows, width)
    height = sum(_row_height(row, widths) for row in rows)
    shape = slide.shapes.add_table(len(rows), len(rows[0]), left, top, width, height)
    table = shape.table
    for i, w in enumerate(widths):
        table.columns[i].width = w
    for r, row in enumerate(rows):
        table.rows[r].height = _row_height(row, widths)
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = HEADER_FILL if r == 0 else (BAND_FILL if r % 2 == 0 else RGBColor(0xFF, 0xFF, 0xFF))
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            frame = cell.text_frame
            frame.word_wrap = True
            frame.text = str(text)
            for paragraph in frame.paragraphs:
                if c > 0 and r > 0 and _numeric(str(text)):
                    paragraph.alignment = PP_ALIGN.RIGHT
                for run in paragraph.runs:
                    run.font.size, run.font.bold = Pt(TABLE_PT), r == 0
                    run.font.color.rgb = HEADER_TEXT if r == 0 else TEXT


def _numeric(text: str) -> bool:
    stripped = text.replace("\u202f", "").replace(" ", "").replace("%", "").replace(",", "").replace("+", "") \
        .replace("−", "").replace("pt", "")
    return stripped.isdigit()
