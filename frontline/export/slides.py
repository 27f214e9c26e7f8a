"""A PowerPoint briefing deck (python-pptx): title, one slide per date, closing chart and sources.

Each date's slide shows the map panel (:func:`static.panel_figure`), ISIS's area and
population, the change since the previous date, and bullets: the period's key
events taken from the data by weight (:meth:`Briefing.key_events`; four for a period of half a year or more).

The same inputs give the same bytes: the core properties are dated by the last date of
the deck (never "now"), and the zip python-pptx writes is rewritten with that date on
every entry (:func:`fixed_zip`), in python-pptx's own (deterministic) entry order.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN, MSO_ANCHOR
from pptx.util import Inches, Pt

from .. import __version__
from ..history.filters import describe_filters
from .briefing import METHOD_NOTE, Briefing, format_area, format_date, format_population
from .chart import area_chart_figure
from .static import TITLE, panel_figure, save

__all__ = ["build_deck", "slide_titles", "fixed_zip", "FIRST_PERIOD_DAYS"]

#: The first date's key events are those of this many days before it.
FIRST_PERIOD_DAYS = 90

INK = RGBColor(0x1E, 0x1E, 0x1E)
MUTED = RGBColor(0x5B, 0x5B, 0x5B)
MARK = RGBColor(0x7A, 0x10, 0x10)
ACCENT = RGBColor(0xC0, 0x39, 0x2B)
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)


def _text(slide, left, top, width, height, text: str, size: float, bold: bool = False, color=INK,
          align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, name: str | None = None):
    """A text box with one paragraph per line of ``text``."""
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.05)
    for i, line in enumerate(text.split("\n")):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = color
    return box


def _marking(slide, marking: str) -> None:
    if not marking:
        return
    for top in (Inches(0.02), SLIDE_H - Inches(0.34)):
        _text(slide, Inches(0.4), top, SLIDE_W - Inches(0.8), Inches(0.32), marking, 11, bold=True, color=MARK,
              align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)


def _title(slide, text: str) -> None:
    """Fill the layout's title placeholder (so the slide's title is its real title) in the deck's style."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Inches(0.5), Inches(0.38), Inches(8.2), Inches(0.8)
    frame = shape.text_frame
    frame.text = text
    frame.vertical_anchor = MSO_ANCHOR.TOP
    p = frame.paragraphs[0]
    p.alignment = PP_ALIGN.LEFT
    for run in p.runs:
        run.font.size = Pt(34)
        run.font.bold = True
        run.font.color.rgb = INK


def _picture(slide, fig, left, top, height=None, width=None):
    buf = io.BytesIO()
    save(fig, buf, "png")
    buf.seek(0)
    return slide.shapes.add_picture(buf, left, top, width=width, height=height)


def _bullets(slide, left, top, width, height, header: str, lines: list[str]) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    box.name = "Key events"
    frame = box.text_frame
    frame.word_wrap = True
    p = frame.paragraphs[0]
    run = p.add_run()
    run.text = header
    run.font.size, run.font.bold, run.font.color.rgb = Pt(15), True, INK
    for line in lines:
        p = frame.add_paragraph()
        p.space_before = Pt(10)
        date_part, _, rest = line.partition(" · ")
        r1 = p.add_run()
        r1.text = "▪ " + date_part + ("  " if rest else "")
        r1.font.size, r1.font.bold, r1.font.color.rgb = Pt(13), True, ACCENT
        if rest:
            r2 = p.add_run()
            r2.text = rest
            r2.font.size, r2.font.color.rgb = Pt(13), INK


def _periods(dates: list[pd.Timestamp]) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """(start, end) of each date's period: from the day after the previous date (the first: 90 days back).

    >>> _periods([pd.Timestamp("2015-01-01"), pd.Timestamp("2015-06-01")])[1][0].date()
    datetime.date(2015, 1, 2)
    """
    out = []
    for i, when in enumerate(dates):
        start = dates[i - 1] + pd.Timedelta(days=1) if i else when - pd.Timedelta(days=FIRST_PERIOD_DAYS)
        out.append((start, when))
    return out


def bullet_count(start, end) -> int:
    """Key events on a slide: three, four for a period of half a year or more.

    >>> bullet_count(pd.Timestamp("2014-06-11"), pd.Timestamp("2015-05-21")), bullet_count(pd.Timestamp("2017-07-11"), pd.Timestamp("2017-10-17"))
    (4, 3)
    """
    return 4 if (pd.Timestamp(end) - pd.Timestamp(start)).days >= 180 else 3


def slide_titles(dates) -> list[str]:
    """The titles of a deck's slides, in order (title, one per date, closing)."""
    return [TITLE] + [format_date(d) for d in sorted(pd.Timestamp(x) for x in dates)] + ["ISIS territory over time"]


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The zip archive ``data`` rewritten so that its bytes depend only on its contents.

    Every entry keeps its name, order, contents and compression, and gets the timestamp
    ``when`` and the same (Unix, ``rw-r--r--``) attributes, so two archives with the same
    files are byte-identical whenever and wherever they were written.

    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("a.txt", "hello")
    >>> fixed = fixed_zip(buf.getvalue(), dt.datetime(2019, 3, 23))
    >>> zipfile.ZipFile(io.BytesIO(fixed)).getinfo("a.txt").date_time
    (2019, 3, 23, 0, 0, 0)
    """
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]  # zip dates start in 1980
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = item.compress_type
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            dst.writestr(info, src.read(item))
    return out.getvalue()


def build_deck(briefing: Briefing, dates, out: Path | str, marking: str = "", title: str = TITLE,
               progress=None, dpi: int = 150) -> Path:
    """Write the deck to ``out`` (a path or a binary file); ``progress(fraction, message)`` is called per slide.

    ``dpi`` is the resolution of the map and chart pictures. The same inputs give the same bytes.
    """
    dates = sorted(pd.Timestamp(d) for d in dates)
    total = len(dates) + 2
    step = 0

    def tick(message):
        nonlocal step
        step += 1
        if progress:
            progress(step / total, message)

    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    stamp = dt.datetime.combine(max(dates).date(), dt.time())
    prs.core_properties.title = title
    prs.core_properties.subject = f"Briefing: {', '.join(format_date(d) for d in dates)}"
    prs.core_properties.author = f"Frontline atlas {__version__}"
    prs.core_properties.created = prs.core_properties.modified = stamp
    prs.core_properties.last_modified_by = "frontline export"
    prs.core_properties.revision = 1
    title_only = prs.slide_layouts[5]

    # title slide
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = title
    head, sub = slide.shapes.title, slide.placeholders[1]
    head.left, head.top, head.width, head.height = Inches(0.9), Inches(1.9), Inches(11.5), Inches(1.3)
    sub.left, sub.top, sub.width, sub.height = Inches(0.9), Inches(3.4), Inches(11.5), Inches(1.6)
    for run in slide.shapes.title.text_frame.paragraphs[0].runs:
        run.font.size, run.font.bold, run.font.color.rgb = Pt(44), True, INK
    span = format_date(dates[0]) if len(dates) == 1 else f"{format_date(dates[0])} to {format_date(dates[-1])}"
    first, last = briefing.held(dates[0]), briefing.held(dates[-1])
    def held_text(h, when):
        area = f"about {format_area(h['area_km2'])}" if h["area_km2"] > 0 else "no territory"
        return f"{area} on {format_date(when)}"

    sub.text = (f"Briefing: {len(dates)} date{'s' if len(dates) > 1 else ''}, {span}\n"
                f"ISIS held {held_text(first, dates[0])}"
                + (f" and {held_text(last, dates[-1])}" if len(dates) > 1 else ""))
    for i, p in enumerate(sub.text_frame.paragraphs):
        for run in p.runs:
            run.font.size, run.font.color.rgb = Pt(22 if i == 0 else 18), (INK if i == 0 else MUTED)
    bar = slide.shapes.add_shape(1, Inches(0.55), Inches(1.95), Inches(0.12), Inches(2.9))  # 1: rectangle
    bar.fill.solid()
    bar.fill.fore_color.rgb = ACCENT
    bar.line.fill.background()
    filt = describe_filters(briefing.filters)
    _text(slide, Inches(0.9), Inches(6.2), Inches(11.5), Inches(0.6),
          f"Frontline atlas {__version__}: estimated zones of control from {len(briefing.events):,} curated, sourced "
          f"events." + (f" Events filtered: {filt}." if filt else ""), 12, color=MUTED)
    _marking(slide, marking)
    tick("title slide")

    # one slide per date
    for i, ((start, when), prev) in enumerate(zip(_periods(dates), [None] + dates[:-1])):
        slide = prs.slides.add_slide(title_only)
        _title(slide, format_date(when))
        held = briefing.held(when)
        _text(slide, Inches(8.75), Inches(0.42), Inches(4.2), Inches(0.5), format_area(held["area_km2"]), 28,
              bold=True, align=PP_ALIGN.RIGHT, name="ISIS area")
        _text(slide, Inches(8.75), Inches(0.98), Inches(4.2), Inches(0.3),
              f"held by ISIS · {format_population(held['population'])} people", 12, color=MUTED,
              align=PP_ALIGN.RIGHT)
        fig = panel_figure(briefing, when, dpi=dpi)
        _picture(slide, fig, Inches(0.35), Inches(1.35), height=Inches(5.95))
        x = Inches(8.45)
        if prev is not None:
            delta = held["area_km2"] - briefing.held(prev)["area_km2"]
            sign = "+" if delta >= 0 else "−"
            change = f"{sign}{format_area(abs(delta))} since {format_date(prev, short=True)}"
            _text(slide, x, Inches(1.45), Inches(4.5), Inches(0.4), change, 15, bold=True,
                  color=ACCENT if delta > 0 else INK, name="Change")
        n = bullet_count(start, when)
        key = briefing.key_events(start, when, n=n, limit=180 if n <= 3 else 140)
        header = f"Key events, {format_date(start, short=True)} to {format_date(when, short=True)}"
        lines = list(key["text"]) if len(key) else [f"No recorded events in this period{' (with the filters)' if filt else ''}."]
        _bullets(slide, x, Inches(1.95), Inches(4.55), Inches(4.6), header, lines)
        _text(slide, x, Inches(6.6), Inches(4.55), Inches(0.5),
              "Territory is an estimate from a point gazetteer; see the method on the last slide.", 9, color=MUTED)
        _marking(slide, marking)
        tick(f"slide for {format_date(when)}")

    # closing slide
    slide = prs.slides.add_slide(title_only)
    _title(slide, "ISIS territory over time")
    _picture(slide, area_chart_figure(briefing, dates, dpi=dpi), Inches(0.5), Inches(1.3), width=Inches(12.3))
    _text(slide, Inches(0.5), Inches(6.25), Inches(12.3), Inches(0.95),
          briefing.sources_note() + "\n" + METHOD_NOTE, 9, color=MUTED, name="Sources")
    _marking(slide, marking)
    tick("closing slide")
    raw = io.BytesIO()
    prs.save(raw)
    data = fixed_zip(raw.getvalue(), stamp)
    if hasattr(out, "write"):
        out.write(data)
        return out
    Path(out).write_bytes(data)
    return Path(out)
