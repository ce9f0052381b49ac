"""Figure files: a drawn figure as a 300-dpi PNG, a PDF (or SVG) and a lighter PNG for report.html.

:func:`save_figure` lays a figure out once: the PNG at ``dpi`` is drawn with
the figure's layout engine, the layout is then kept as it is for the vector
copy, and the copy embedded in ``report.html`` is the same PNG scaled down
to ``html_dpi``, not drawn again. A report of many figures, and an
edit that redraws the figures showing topic names, spend most of their time
here, so each figure is laid out and rasterised once. Given a thread pool
(as :func:`analysis.report.build.build_figures` gives one), the PNG
encoding, which Pillow does without holding the interpreter lock, runs
beside the drawing of the vector copy and of the next figure.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.report._atomic import atomic_write

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

#: savefig options of the vector copy of each figure, without varying metadata.
VECTOR_OPTIONS = {
    "pdf": {"metadata": {"CreationDate": None, "Creator": None, "Producer": None}},
    "svg": {"metadata": {"Date": None, "Creator": None}},
}


def save_figure(fig: "Figure", out_dir: Path | str, stem: str, dpi: int = 300,
                vector: str = "pdf", html_dpi: int | None = None) -> dict:
    """Write ``<stem>.png`` (``dpi``, default 300) and ``<stem>.pdf`` (or ``.svg``) atomically.

    Each file is written to a temporary file in the same directory and moved
    into place with ``os.replace`` (see :mod:`analysis.report._atomic`), so
    readers never see half a file. File metadata that would change from run
    to run (dates, software) is left out. The figure's layout is computed
    once, for the PNG, and kept for the vector copy (the figure keeps it
    afterwards). Returns ``{"png": path, vector: path}``, plus ``"html_png"``
    (PNG bytes of the PNG scaled to ``html_dpi``) when ``html_dpi`` is given.
    """
    return resolved(save_figure_async(fig, out_dir, stem, dpi, vector, html_dpi))


def save_figure_async(fig: "Figure", out_dir: Path | str, stem: str, dpi: int = 300,
                      vector: str = "pdf", html_dpi: int | None = None,
                      submit: Callable[..., Future] | None = None) -> dict:
    """:func:`save_figure` with the PNG encoding handed to ``submit`` (e.g. a thread pool's).

    The figure is drawn here, in the calling thread; the PNG file and
    ``html_png`` are :class:`~concurrent.futures.Future` values until
    :func:`resolved` waits for them. Without ``submit`` they are done on return.
    """
    if not stem or Path(stem).name != stem or stem.startswith("."):
        raise ValueError(f"figure stem must be a plain file name, got {stem!r}")
    if vector not in VECTOR_OPTIONS:
        raise ValueError(f"vector format must be one of {sorted(VECTOR_OPTIONS)}, got {vector!r}")
    submit = submit or _run_now
    out = Path(out_dir)
    raw, size = _rasterise(fig, dpi)
    image = submit(_image, raw, size)
    fig.set_layout_engine("none")  # keep the layout just computed for the vector copy
    paths: dict = {"png": submit(_write_png_file, image, out / f"{stem}.png", dpi)}
    paths[vector] = atomic_write(
        out / f"{stem}.{vector}",
        lambda handle: fig.savefig(handle, format=vector, facecolor="white", **VECTOR_OPTIONS[vector]))
    if html_dpi:
        paths["html_png"] = submit(_scaled_png, image, html_dpi / dpi)
    return paths


def resolved(entry: dict) -> dict:
    """``entry`` with every :class:`~concurrent.futures.Future` value replaced by its result."""
    return {key: value.result() if isinstance(value, Future) else value for key, value in entry.items()}


def png_bytes(fig: "Figure", dpi: int = 150) -> bytes:
    """The figure as PNG bytes at ``dpi``."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def _rasterise(fig: "Figure", dpi: int) -> tuple[bytes, tuple[int, int]]:
    """The figure drawn once at ``dpi`` (layout included): raw RGBA bytes and (width, height)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="rgba", dpi=dpi, facecolor="white")
    raw = buffer.getvalue()
    width = int(fig.get_figwidth() * dpi)
    height = len(raw) // (4 * width)
    if width * height * 4 != len(raw):  # pragma: no cover - Agg's size rule changed
        raise RuntimeError(f"unexpected raster size for a {fig.get_size_inches()} in figure at {dpi} dpi")
    return raw, (width, height)


def _run_now(fn: Callable, *args) -> Future:
    """``fn(*args)`` as a finished future (errors raised when its result is read)."""
    done: Future = Future()
    try:
        done.set_result(fn(*args))
    except Exception as err:  # raised by resolved(), as a pool's future would
        done.set_exception(err)
    return done


def _image(raw: bytes, size: tuple[int, int]):
    """An RGB PIL image of raw RGBA bytes."""
    from PIL import Image

    return Image.frombuffer("RGBA", size, raw, "raw", "RGBA", 0, 1).convert("RGB")


def _write_png_file(image: Future, path: Path, dpi: int) -> Path:
    picture = image.result()
    return atomic_write(path, lambda handle: picture.save(handle, format="PNG", dpi=(dpi, dpi)))


def _scaled_png(image: Future, factor: float) -> bytes:
    """PNG bytes of ``image`` scaled by ``factor``: the copy embedded in report.html.

    A whole-number reduction (300 to 150 dpi) averages blocks of pixels; any
    other factor resamples with a Lanczos filter.
    """
    from PIL import Image

    image = image.result()
    shrink = 1 / factor
    if factor < 1 and abs(shrink - round(shrink)) < 1e-9:  # 300 -> 150 dpi: average 2 x 2 blocks
        small = image.reduce(round(shrink))
    else:
        size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
        small = image.resize(size, Image.Resampling.LANCZOS) if size != image.size else image
    buffer = io.BytesIO()
    small.save(buffer, format="PNG")
    return buffer.getvalue()
