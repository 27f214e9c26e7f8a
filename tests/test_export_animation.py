"""Animations: a frame per step from A to B, as a GIF (Pillow) or an MP4 (the imageio-ffmpeg wheel's ffmpeg)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from conftest import FIXTURES, run_cli as run
from frontline.errors import ExportError
from frontline.export import export, load_briefing
from frontline.export.animation import frame_dates
from frontline.export.presets import Preset

TINY = Preset("tiny", "test page", 6.4, 3.6, 40, 1.0)
DATA = ["--events", str(FIXTURES / "events.csv"), "--places", str(FIXTURES / "places.csv")]


@pytest.fixture(scope="module")
def briefing():
    return load_briefing(FIXTURES / "events.csv", FIXTURES / "places.csv")


def test_a_month_a_step_from_june_2014_to_may_2015_is_twelve_frames():
    dates = frame_dates("2014-06-01", "2015-05-01", "month")
    assert [f"{d:%Y-%m}" for d in dates] == [f"2014-{m:02d}" for m in range(6, 13)] + [f"2015-{m:02d}" for m in range(1, 6)]
    assert len(frame_dates("2014-06-01", "2014-06-30", "week")) == 6  # 1, 8, 15, 22, 29 and the end, 30 June


@pytest.mark.parametrize("args, message", [
    (("2015-01-02", "2015-01-01", "day"), "--to 2015-01-01 is before --from 2015-01-02; swap them"),
    (("2014-01-01", "2019-03-23", "day"), "more than 400 frames; choose a longer --step"),
    (("2014-01-01", "2014-02-01", "year"), "unknown --step 'year'; choose one of: day, week, month"),
])
def test_bad_animation_periods_are_refused_with_the_fix(args, message):
    with pytest.raises(ExportError, match=message):
        frame_dates(*args)


def test_gif_has_one_frame_per_date_each_the_dates_page(briefing, tmp_path):
    dates = frame_dates("2014-06-01", "2014-09-01", "month")
    out = export(briefing, dates, "gif", tmp_path / "rise.gif", TINY, fps=2)
    with Image.open(out) as gif:
        assert gif.format == "GIF" and gif.size == TINY.pixels
        assert gif.n_frames == len(dates) == 4
        frames = []
        for i in range(gif.n_frames):
            gif.seek(i)
            frames.append(np.asarray(gif.convert("RGB")))
    assert not np.array_equal(frames[0], frames[-1])  # the date (at least) changes from frame to frame


def test_mp4_plays_back_with_every_frame_at_the_pages_size(briefing, tmp_path):
    import imageio_ffmpeg

    dates = frame_dates("2014-06-01", "2014-08-01", "month")
    out = export(briefing, dates, "mp4", tmp_path / "rise.mp4", TINY, fps=2)
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    frames = list(reader)
    assert meta["size"] == TINY.pixels and meta["codec"] == "h264"
    assert len(frames) >= len(dates)  # and the last frame held for two seconds
    assert all(len(f) == TINY.pixels[0] * TINY.pixels[1] * 3 for f in frames)


def test_cli_makes_a_gif_from_a_period_and_a_step(tmp_path):
    out = tmp_path / "rise.gif"
    code, stdout, err = run("export", "--from", "2014-06-01", "--to", "2014-07-15", "--step", "week", "--preset",
                            "slide", "--out", str(out), *DATA)
    assert code == 0, err
    assert stdout.startswith(f"wrote {out} (gif, 8 frames,")  # 1, 8, 15, 22, 29 June, 6, 13 and 15 July
    with Image.open(out) as gif:
        assert gif.size == (1920, 1080) and gif.n_frames == 8


@pytest.mark.parametrize("argv, message", [
    (["--from", "2014-06-01", "--to", "2014-07-01", "--out", "x.png"], "--from/--to make an animation: use --format gif or mp4"),
    (["--from", "2014-06-01", "--out", "x.gif"], "an animation needs both --from and --to"),
    (["--date", "2014-06-01", "--from", "2014-06-01", "--to", "2014-07-01", "--out", "x.gif"], "either --date or --from/--to"),
    (["--out", "x.gif"], "no date given"),
])
def test_cli_animation_errors_say_what_to_do(tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run("export", *argv, *DATA)
    assert code == 1 and message in err


def test_briefing_page_builds_an_animation_with_progress_and_plays_it():
    import datetime as dt

    from streamlit.testing.v1 import AppTest

    from conftest import ROOT

    at = AppTest.from_file(str(ROOT / "pages" / "4_Briefing.py"), default_timeout=120).run()
    at.selectbox(key="br_format").set_value("gif").run()
    assert not at.exception, at.exception
    at.date_input(key="br_anim_from").set_value(dt.date(2014, 6, 1))
    at.date_input(key="br_anim_to").set_value(dt.date(2014, 9, 1)).run()
    assert any(c.value == "4 frames, a month a frame." for c in at.caption)
    at.button(key="br_build").click().run()
    assert not at.exception, at.exception
    labels = [b.label for b in at.get("download_button")]
    assert len(labels) == 1 and labels[0].startswith("Download frontline-20140601_20140901.gif")
