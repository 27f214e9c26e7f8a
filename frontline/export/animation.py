"""Animations: the briefing page of each date from A to B, as an animated GIF (Pillow) or an MP4 (H.264).

Every frame is the full page of :func:`static.map_figure` at the preset (1920 x 1080 on the
slide preset): title, date, map, legend, scale bar and the source line. The MP4 is encoded
by the ``ffmpeg`` that the ``imageio-ffmpeg`` wheel ships (nothing is downloaded at run
time); the GIF by Pillow, on one palette for every frame so colours do not flicker. The
last frame is held for two seconds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ExportError
from .briefing import Briefing, format_date
from .presets import Preset

__all__ = ["STEPS", "ANIMATION_FORMATS", "DEFAULT_FPS", "MAX_FRAMES", "frame_dates", "render_frame",
           "write_animation"]

STEPS = ("day", "week", "month")
ANIMATION_FORMATS = ("gif", "mp4")
#: Frames a second by step: a month a half-second, a week a quarter, a day an eighth.
DEFAULT_FPS = {"day": 8, "week": 4, "month": 2}
#: More frames than this is refused (a day a frame over five years would take half an hour).
MAX_FRAMES = 400
HOLD_SECONDS = 2.0


def frame_dates(start, end, step: str) -> list[pd.Timestamp]:
    """The dates of the frames: ``start``, then every ``step`` up to ``end`` (always the last frame).

    >>> [f"{d:%Y-%m-%d}" for d in frame_dates("2014-06-10", "2014-09-01", "month")]
    ['2014-06-10', '2014-07-10', '2014-08-10', '2014-09-01']
    >>> len(frame_dates("2015-01-01", "2015-01-01", "week"))
    1
    """
    if step not in STEPS:
        raise ExportError(f"unknown --step {step!r}; choose one of: {', '.join(STEPS)}")
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end < start:
        raise ExportError(f"--to {end:%Y-%m-%d} is before --from {start:%Y-%m-%d}; swap them")
    offset = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1)}[step]
    out, day = [], start
    while day <= end:
        out.append(day)
        day = start + offset * len(out)  # from the start, so 31 January steps to 28 February, then 31 March
        if len(out) > MAX_FRAMES:
            raise ExportError(f"{start:%Y-%m-%d} to {end:%Y-%m-%d} a {step} a frame is more than {MAX_FRAMES} "
                              "frames; choose a longer --step (week or month) or a shorter period")
    if out[-1] != end:
        out.append(end)
    return out


def render_frame(briefing: Briefing, when, preset: Preset, marking: str = "") -> np.ndarray:
    """The page of ``when`` as an RGB array (height x width x 3)."""
    from .static import map_figure, render_context

    fig = map_figure(briefing, when, preset, marking)
    with render_context():
        fig.canvas.draw()
        rgba = np.asarray(fig.canvas.buffer_rgba())
    return np.ascontiguousarray(rgba[:, :, :3])


def _gif(frames, out: Path, fps: float) -> None:
    from PIL import Image

    images, palette = [], None
    for rgb in frames:
        img = Image.fromarray(rgb, "RGB")
        if palette is None:  # one palette for every frame: no flicker, and fast
            palette = img.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
        images.append(img.quantize(palette=palette, dither=Image.Dither.NONE))
    durations = [round(1000 / fps)] * len(images)
    durations[-1] = max(durations[-1], round(HOLD_SECONDS * 1000))
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0,
                   optimize=False, disposal=1)


def _mp4(frames, out: Path, fps: float, title: str) -> None:
    try:
        import imageio_ffmpeg
    except ImportError as err:
        raise ExportError("MP4 needs the imageio-ffmpeg package: pip install -r requirements.txt "
                          "(or export a GIF: --format gif)") from err
    writer = None
    last = None
    for rgb in frames:
        if writer is None:
            h, w = rgb.shape[:2]
            writer = imageio_ffmpeg.write_frames(
                str(out), (w, h), fps=fps, codec="libx264", pix_fmt_in="rgb24", pix_fmt_out="yuv420p",
                quality=8, macro_block_size=8, ffmpeg_log_level="error",
                output_params=["-metadata", f"title={title}", "-movflags", "+faststart"])
            writer.send(None)
        writer.send(rgb.tobytes())
        last = rgb
    for _ in range(max(int(round(HOLD_SECONDS * fps)) - 1, 0)):
        writer.send(last.tobytes())
    writer.close()


def write_animation(briefing: Briefing, dates, fmt: str, out: Path, preset: Preset, marking: str = "",
                    fps: float | None = None, progress=None, title: str | None = None) -> Path:
    """Write one frame per date of ``dates`` (sorted) as ``fmt`` (gif or mp4) to ``out``; return ``out``.

    ``fps`` defaults to 2 frames a second; ``progress(fraction, message)`` is called per frame.
    """
    from .static import TITLE

    if fmt not in ANIMATION_FORMATS:
        raise ExportError(f"an animation is a GIF or an MP4, not {fmt!r}")
    dates = sorted(pd.Timestamp(d) for d in dates)
    fps = float(fps or 2)
    if not 0.2 <= fps <= 30:
        raise ExportError(f"--fps must be between 0.2 and 30 frames a second, not {fps:g}")
    span = f"{format_date(dates[0])} to {format_date(dates[-1])}"

    def frames():
        for i, when in enumerate(dates):
            if progress:
                progress(0.95 * i / len(dates), f"frame {i + 1} of {len(dates)}: {format_date(when)}")
            yield render_frame(briefing, when, preset, marking)

    out = Path(out)
    if fmt == "gif":
        _gif(frames(), out, fps)
    else:
        _mp4(frames(), out, fps, title or f"{TITLE}, {span}")
    return out

