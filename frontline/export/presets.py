"""Output presets (page sizes) and formats, and the checks made before anything is drawn.

A preset is a page: its size in inches, the resolution of raster output and a type
scale, so that labels keep the same physical size on a slide, A4 and A3.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExportError

__all__ = ["Preset", "PRESETS", "FORMATS", "STATIC_FORMATS", "MIME_TYPES", "get_preset", "check_output", "format_from_path"]


@dataclass(frozen=True)
class Preset:
    """A page: ``width`` x ``height`` inches, ``dpi`` for PNG, ``scale`` for type and line widths."""

    name: str
    label: str
    width: float
    height: float
    dpi: int
    scale: float = 1.0

    @property
    def pixels(self) -> tuple[int, int]:
        """Size of a PNG at this preset, in pixels.

        >>> PRESETS["slide"].pixels
        (1920, 1080)
        """
        return round(self.width * self.dpi), round(self.height * self.dpi)


PRESETS: dict[str, Preset] = {
    "slide": Preset("slide", "16:9 slide (1920 x 1080 px)", 12.8, 7.2, 150, 1.0),
    "a4": Preset("a4", "A4 landscape, 300 dpi", 11.69, 8.27, 300, 1.0),
    "a3": Preset("a3", "A3 landscape, 300 dpi", 16.54, 11.69, 300, 1.35),
}

#: Output formats and what they are.
FORMATS: dict[str, str] = {
    "png": "PNG image (one map, or small multiples for several dates)",
    "pdf": "PDF (one map, or small multiples for several dates)",
    "svg": "SVG vector image (one map, or small multiples for several dates)",
    "pptx": "PowerPoint deck: title, one slide per date, closing chart and sources",
    "html": "stand-alone interactive map with a time slider (opens offline)",
    "gif": "animated GIF: the page of each date (1920 x 1080 on the slide preset)",
    "mp4": "MP4 video (H.264): the page of each date (1920 x 1080 on the slide preset)",
}
STATIC_FORMATS = ("png", "pdf", "svg")
#: The media type of each format (for a download).
MIME_TYPES: dict[str, str] = {
    "png": "image/png", "pdf": "application/pdf", "svg": "image/svg+xml", "html": "text/html",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "gif": "image/gif", "mp4": "video/mp4",
}


def get_preset(name) -> Preset:
    """The preset called ``name`` (a :class:`Preset` is returned as is); the error lists the known ones."""
    if isinstance(name, Preset):
        return name
    try:
        return PRESETS[name]
    except KeyError:
        raise ExportError(f"unknown preset {name!r}; choose one of: {', '.join(PRESETS)}") from None


def format_from_path(path: Path | str) -> str:
    """The format named by a file's extension.

    >>> format_from_path("brief.PPTX")
    'pptx'
    """
    ext = Path(path).suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise ExportError(f"cannot tell the format of {str(path)!r} from its extension; "
                          f"use --format {'|'.join(FORMATS)} or name the file .png, .pdf, .svg, .pptx, .html, .gif or .mp4")
    return ext


def check_output(path: Path | str, fmt: str) -> Path:
    """Check that ``path`` can be written as ``fmt`` before any work is done; return it as a Path."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    out = Path(path)
    if out.is_dir():
        raise ExportError(f"cannot write {str(out)!r}: it is a folder; give a file name such as {out / ('brief.' + fmt)}")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {str(out)!r}: the folder {str(folder)!r} does not exist; create it or choose another --out")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ExportError(f"cannot write {str(out)!r}: permission denied; choose a folder you can write to")
    return out
