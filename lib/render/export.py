"""Offline exports for slides and paper: chart PNGs (vl-convert), a static map (matplotlib) and a
one-page PDF (fpdf2 with the DejaVu font shipped by matplotlib, for full French typography)."""
from __future__ import annotations

import io
from contextlib import contextmanager
from html import escape
from pathlib import Path

import altair as alt
import matplotlib

matplotlib.use("Agg")
import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import vl_convert  # noqa: E402
from fpdf import FPDF, ViewerPreferences  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """An altair chart as PNG, rendered offline by vl-convert."""
    return vl_convert.vegalite_to_png(chart.to_dict(), scale=scale)


def department_map_png(communes: gpd.GeoDataFrame, colors: pd.Series, legend: list[tuple[str, str]],
                       highlight: pd.Series | None = None, title: str = "", dpi: int = 150,
                       highlight_label: str = "commune avec un QPV", quarters: gpd.GeoDataFrame | None = None,
                       note: str = "", hatched: tuple[str, ...] | None = None) -> bytes:
    """A static map of communes filled with ``colors`` (index = commune code); ``highlight`` codes get a
    thick purple outline (e.g. communes hosting a QPV), ``quarters`` are drawn as purple contours, both
    explained in the legend; ``note`` (e.g. « offre de démonstration ») is printed in red under the title,
    so the mention travels with the image. Communes whose colour is in ``hatched`` (default: the white
    zones' colour) are also hatched, and so is their legend entry: not colour alone."""
    from lib.indicators.white_zones import WHITE_COLOR

    hatched = (WHITE_COLOR,) if hatched is None else hatched
    drawn = communes[communes.geometry.notna()].to_crs("EPSG:2154")
    figure, axis = plt.subplots(figsize=(6, 5.8), dpi=dpi)
    fills = drawn["code"].map(colors).fillna("#d9d9d9")
    drawn.plot(ax=axis, color=fills, edgecolor="#666", linewidth=0.2)
    with plt.rc_context({"hatch.color": "white", "hatch.linewidth": 0.8}):
        stripes = drawn[fills.isin(hatched)]
        if len(stripes):
            stripes.plot(ax=axis, facecolor="none", edgecolor="white", hatch="////", linewidth=0)
    drawn.dissolve().boundary.plot(ax=axis, color="#222", linewidth=1.0)
    if highlight is not None and len(highlight):
        drawn[drawn["code"].isin(highlight)].boundary.plot(ax=axis, color="#6a3d9a", linewidth=1.6)
    if quarters is not None and len(quarters):
        quarters.to_crs("EPSG:2154").plot(ax=axis, facecolor="#6a3d9a", edgecolor="#3f007d", linewidth=0.8, alpha=0.8)
    axis.set_axis_off()
    if title:
        axis.set_title(title, fontsize=11, loc="left")
    if note:
        axis.text(0, 1.0, note, transform=axis.transAxes, fontsize=9, fontweight="bold", color="#b30000", va="top")
    # Legend under the map, never over a commune.
    handles = [Patch(facecolor=c, edgecolor="#666", label=label, hatch="////" if c in hatched else None)
               for c, label in legend]
    if highlight is not None and len(highlight):
        handles.append(Patch(facecolor="white", edgecolor="#6a3d9a", linewidth=1.6, label=highlight_label))
    if quarters is not None and len(quarters):
        handles.append(Patch(facecolor="#6a3d9a", edgecolor="#3f007d", label="quartier prioritaire (liste 2024)"))
    axis.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=2, fontsize=7.5, frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


class _Sheet(FPDF):
    """The sheet's PDF: every text block is a tagged structure element (``tagged``), decorations are
    artifacts (``artifact``), so a screen reader gets the text in order with its headings."""

    def __init__(self) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(False)
        self.set_margins(10, 8, 10)

    @contextmanager
    def tagged(self, kind: str):
        """The text drawn inside is one structure element of type ``kind`` (``/P``, ``/H2``, ``/Caption``)."""
        with self._marked_sequence() as element:  # fpdf2 2.8: a /Figure by default, its role set here
            element.s = kind
            yield element

    @contextmanager
    def artifact(self):
        """Drawn inside: decoration (a box's border), left out of the reading order."""
        self._out("/Artifact BMC")
        yield
        self._out("EMC")


def xmp(title: str, description: str) -> str:
    """XMP metadata of the sheet: title, description and language (Dublin Core), the tool. No PDF/UA
    identifier: the sheet is tagged but was not checked against PDF/UA (lists are paragraphs)."""
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(description)}</rdf:li></rdf:Alt></dc:description>'
        '<dc:language><rdf:Bag><rdf:li>fr-FR</rdf:li></rdf:Bag></dc:language>'
        '<dc:format>application/pdf</dc:format>'
        '<xmp:CreatorTool>Tableau de bord PRIC</xmp:CreatorTool>'
        '</rdf:Description></rdf:RDF></x:xmpmeta>'
    )


def sheet_pdf(title: str, subtitle: str, figures: list[tuple[str, str] | tuple[str, str, str]], findings: list[str],
              images: list[tuple[bytes, str]] | list[tuple[bytes, str, str]], sources: list[str], warning: str = "",
              sections: list[tuple[str, list[str]]] | None = None) -> bytes:
    """A one-page A4 landscape sheet: title, key figures, findings, further ``sections`` (a heading and
    its lines, e.g. the department's national comparison), up to three images, sources.

    A figure may carry a third element, a mention printed in red inside its box (e.g. « offre de
    démonstration »), so the mention stays next to the figure wherever the page goes. An image may carry
    a third element, its text alternative (else its caption is used).

    Accessibility: the document declares its language (``/Lang fr-FR``) and its title, shown by
    readers instead of the file name (``DisplayDocTitle``) and in its XMP metadata; the title is a tagged
    heading (``/H1``, also the outline's entry), « Constats » an ``/H2``, every other text block a ``/P``
    (captions ``/Caption``), each image a tagged figure with its alternative (``/Figure``, ``/Alt``) and
    the boxes' borders artifacts."""
    from fpdf.enums import PageMode
    from fpdf.fonts import TextStyle

    pdf = _Sheet()
    pdf.set_lang("fr-FR")
    pdf.set_title(title)
    pdf.set_subject(subtitle)
    pdf.set_creator("Tableau de bord PRIC")
    pdf.set_xmp_metadata(xmp(title, subtitle))
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.page_mode = PageMode.USE_OUTLINES
    pdf.add_page()
    # The title drawn by start_section: a marked sequence in the structure tree and the outline's entry,
    # tagged as the document's heading (fpdf2 tags it /Figure with the title as /T; /H1 is its role).
    pdf.set_section_title_styles(TextStyle(font_family="DejaVu", font_style="B", font_size_pt=17, color=0,
                                           t_margin=0, l_margin=0, b_margin=2))
    pdf.set_font("DejaVu", "B", 17)
    pdf.start_section(title, level=0)
    heading = pdf._outline[-1].struct_elem if pdf._outline else None
    if heading is not None:
        heading.s = "/H1"
    pdf.set_font("DejaVu", "", 9)
    pdf.set_text_color(80, 80, 80)
    with pdf.tagged("/P"):
        pdf.cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
    if warning:
        pdf.set_text_color(180, 0, 20)
        pdf.set_font("DejaVu", "B", 9)
        with pdf.tagged("/P"):
            pdf.cell(0, 5, warning, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    # Key figures in boxes.
    width = (pdf.w - 20) / max(1, len(figures))
    y = pdf.get_y() + 2
    mentions = any(len(f) > 2 and f[2] for f in figures)
    height = 21 if mentions else 17
    for index, figure in enumerate(figures):
        label, value, mention = (*figure, "")[:3]
        x = 10 + index * width
        pdf.set_draw_color(200, 200, 210)
        with pdf.artifact():
            pdf.rect(x + 1, y, width - 2, height)
        with pdf.tagged("/P"):  # one figure, one paragraph: its label, its value, its mention
            pdf.set_xy(x + 3, y + 1.5)
            pdf.set_font("DejaVu", "", 7.5)
            pdf.multi_cell(width - 6, 3.4, label)
            pdf.set_xy(x + 3, y + 9)
            pdf.set_font("DejaVu", "B", 13)
            pdf.cell(width - 6, 6, value)
            if mention:
                pdf.set_xy(x + 3, y + 15.5)
                pdf.set_font("DejaVu", "B", 7)
                pdf.set_text_color(180, 0, 20)
                pdf.cell(width - 6, 3.5, mention)
                pdf.set_text_color(0, 0, 0)
    pdf.set_y(y + height + 3)
    pdf.set_font("DejaVu", "B", 11)
    with pdf.tagged("/H2"):
        pdf.cell(0, 6, "Constats", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    for finding in findings:
        with pdf.tagged("/P"):
            pdf.multi_cell(0, 4.4, f"• {finding}", new_x="LMARGIN", new_y="NEXT")
    for heading_text, lines in sections or ():  # e.g. the department's national comparison
        pdf.set_font("DejaVu", "B", 10)
        with pdf.tagged("/H2"):
            pdf.cell(0, 5.5, heading_text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8)
        for line in lines:
            with pdf.tagged("/P"):
                pdf.multi_cell(0, 3.8, line, new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 2
    available = pdf.h - top - 14
    slot = (pdf.w - 20) / max(1, len(images))
    # Each caption wraps inside its own slot (a long one ran over its neighbour's: « …31/03/2023)Distance »),
    # the images leaving room for the longest.
    pdf.set_font("DejaVu", "", 6.5)
    caption_lines = max((len(pdf.multi_cell(slot - 4, 3, image[1], align="L", dry_run=True, output="LINES")) for image in images),
                        default=1)
    caption_height = 3 * caption_lines
    for index, image in enumerate(images):
        png, caption, alt = (*image, image[1])[:3]
        x = 10 + index * slot
        pdf.image(io.BytesIO(png), x=x + 1, y=top, w=slot - 4, h=available - caption_height - 2, keep_aspect_ratio=True,
                  alt_text=alt, title=caption)
        pdf.set_xy(x + 1, top + available - caption_height)
        pdf.set_font("DejaVu", "", 6.5)
        with pdf.tagged("/Caption"):
            pdf.multi_cell(slot - 4, 3, caption, align="L")
    pdf.set_xy(10, pdf.h - 11)
    pdf.set_font("DejaVu", "", 6.5)
    pdf.set_text_color(90, 90, 90)
    with pdf.tagged("/P"):
        pdf.multi_cell(0, 3, "Sources : " + " · ".join(sources))
    return bytes(pdf.output())


def annotated_map_png(shapes: gpd.GeoDataFrame, colors: pd.Series, legend: list[tuple[str, str]], *, title: str,
                      legend_title: str, source: str, subtitle: str = "", note: str = "",
                      hatched: tuple[str, ...] = (), outlines: list[tuple[gpd.GeoDataFrame, str, float, str]] | None = None,
                      quarters: gpd.GeoDataFrame | None = None, quarters_label: str = "quartier prioritaire (liste 2024)",
                      points: gpd.GeoDataFrame | None = None, points_label: str = "", points_color: str = "#2171b5",
                      sites: gpd.GeoDataFrame | None = None, sites_label: str = "", radius_km: float | None = None,
                      labels: pd.Series | None = None, dpi: int = 150) -> bytes:
    """A map that leaves the dashboard on its own: title, ``subtitle`` (what, when), ``note`` in red (e.g.
    « Données de démonstration »), the shapes filled with ``colors`` (index = ``shapes['code']``), a legend
    with its title (its unit), and the ``source`` line (sources and dates) under it.

    ``hatched`` colours are also hatched (not colour alone); ``outlines`` (shapes, colour, width, legend
    label) are drawn unfilled on top; ``quarters`` in purple; ``points`` small dots (e.g. training places);
    ``sites`` large orange dots numbered by their ``rank`` column, with a dashed circle of ``radius_km``;
    ``labels`` (index = code) written on their shape (e.g. a department's code and value: not colour alone)."""
    import textwrap

    drawn = shapes[shapes.geometry.notna()].to_crs("EPSG:2154")
    figure = plt.figure(dpi=dpi)
    axis = figure.add_axes((0, 0, 1, 1))
    fills = drawn["code"].map(colors).fillna("#d9d9d9")
    thin = 0.15 if len(drawn) > 400 else 0.5
    drawn.plot(ax=axis, color=fills, edgecolor="#666", linewidth=thin)
    with plt.rc_context({"hatch.color": "white", "hatch.linewidth": 0.8}):
        stripes = drawn[fills.isin(hatched)]
        if len(stripes):
            stripes.plot(ax=axis, facecolor="none", edgecolor="white", hatch="////", linewidth=0)
    handles = [Patch(facecolor=c, edgecolor="#666", label=label, hatch="////" if c in hatched else None)
               for c, label in legend]
    if quarters is not None and len(quarters):
        quarters.to_crs("EPSG:2154").plot(ax=axis, facecolor="#6a3d9a", edgecolor="#3f007d", linewidth=0.6, alpha=0.85)
        handles.append(Patch(facecolor="#6a3d9a", edgecolor="#3f007d", label=quarters_label))
    for frame, color, width, label in outlines or ():
        frame.to_crs("EPSG:2154").boundary.plot(ax=axis, color=color, linewidth=width)
        if label:
            handles.append(Patch(facecolor="white", edgecolor=color, linewidth=width, label=label))
    if points is not None and len(points):
        points.to_crs("EPSG:2154").plot(ax=axis, color=points_color, markersize=7, edgecolor="white", linewidth=0.3)
        handles.append(plt.Line2D([], [], marker="o", color="white", markerfacecolor=points_color, markersize=6,
                                  label=points_label))
    if sites is not None and len(sites):
        placed = sites.to_crs("EPSG:2154")
        if radius_km:
            placed.buffer(radius_km * 1000).boundary.plot(ax=axis, color="#08306b", linewidth=1.0, linestyle="--")
        placed.plot(ax=axis, color="#ff7f00", markersize=60, edgecolor="black", linewidth=1.0, zorder=5)
        for rank, point in zip(placed["rank"], placed.geometry):
            axis.annotate(str(rank), (point.x, point.y), ha="center", va="center", fontsize=7, fontweight="bold", zorder=6)
        handles.append(plt.Line2D([], [], marker="o", color="white", markerfacecolor="#ff7f00", markeredgecolor="black",
                                  markersize=9, label=sites_label))
    if labels is not None:
        for code, point in zip(drawn["code"], drawn.representative_point()):
            if code in labels.index:
                axis.annotate(labels[code], (point.x, point.y), ha="center", va="center", fontsize=7, zorder=4,
                              bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.75, "linewidth": 0})
    axis.set_axis_off()
    axis.set_aspect("equal")
    # Layout in inches, the map as tall as its shape needs: title, subtitle, note, map, legend, sources.
    width = 7.2
    west, south, east, north = drawn.total_bounds
    map_height = min(7.6, (width - 0.3) * (north - south) / max(east - west, 1.0))
    title_lines, subtitle_lines = textwrap.wrap(title, 68), textwrap.wrap(subtitle, 100) if subtitle else []
    source_lines = textwrap.wrap(source, 140)
    header = 0.1 + 0.27 * len(title_lines) + 0.19 * len(subtitle_lines) + (0.24 if note else 0) + 0.1
    legend_height = 0.3 + 0.2 * -(-len(handles) // 2)
    height = header + map_height + legend_height + 0.13 * len(source_lines) + 0.15
    figure.set_size_inches(width, height)
    axis.set_position((0.15 / width, (legend_height + 0.13 * len(source_lines) + 0.15) / height,
                       (width - 0.3) / width, map_height / height))
    y = height - 0.1
    figure.text(0.15 / width, y / height, "\n".join(title_lines), fontsize=12.5, fontweight="bold", va="top")
    y -= 0.27 * len(title_lines)
    if subtitle_lines:
        figure.text(0.15 / width, y / height, "\n".join(subtitle_lines), fontsize=8.5, color="#333", va="top")
        y -= 0.19 * len(subtitle_lines)
    if note:
        figure.text(0.15 / width, y / height, note, fontsize=9, fontweight="bold", color="#b30000", va="top")
    figure.legend(handles=handles, loc="upper left", ncol=2, fontsize=8, frameon=False, title=legend_title,
                  bbox_to_anchor=(0.15 / width, (legend_height + 0.13 * len(source_lines) + 0.1) / height),
                  title_fontsize=8.5, alignment="left")
    figure.text(0.15 / width, 0.05 / height, "\n".join(source_lines), fontsize=6.5, color="#444", va="bottom")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.15, facecolor="white")
    plt.close(figure)
    return buffer.getvalue()
