"""The look and the rendering every figure of a report shares (not one paper's figures).

:data:`OKABE_ITO` is the colour-blind-safe palette; :func:`new_figure` a constrained-layout
Matplotlib figure on the Agg canvas (no pyplot state); :func:`drawn` renders a finished
figure (SVG for the HTML, PNG at :data:`PNG_DPI` for the Markdown) and checks that none of
its texts overlap (:func:`text_overlaps`). The paper's figures
(``verification/report/figures.py``, ``chain_figure.py``, ``sec6_figure.py``) draw with
these.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure

__all__ = [
    "OKABE_ITO",
    "PNG_DPI",
    "drawn",
    "errorbars",
    "new_figure",
    "render_png",
    "render_svg",
    "text_overlaps",
]

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
PNG_DPI = 150
"""Resolution of the PNG files (the Markdown's figures); the HTML embeds the SVG."""


def render_png(fig: MplFigure) -> bytes:
    """The figure as PNG bytes (Agg canvas, no metadata that varies between runs)."""
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


def render_svg(fig: MplFigure) -> bytes:
    """The figure as SVG bytes: text as paths (the same glyphs in every browser), ids and
    metadata fixed, so the same figure gives the same bytes."""
    import matplotlib

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "fastweights"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _texts(fig: MplFigure) -> list[Any]:
    """Every text the figure draws: titles, axis and tick labels, legends, annotations."""
    texts: list[Any] = list(fig.texts)
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None:
        texts.append(suptitle)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [ax.title, getattr(ax, "_left_title", None), getattr(ax, "_right_title", None)]
        texts += ax.texts
        for axis in (ax.xaxis, ax.yaxis):
            texts.append(axis.label)
            drawn_ticks: Any = axis._update_ticks()  # type: ignore[union-attr]
            for tick in drawn_ticks:
                texts += [tick.label1, tick.label2]
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            texts += [*legend.get_texts(), legend.get_title()]
    return [t for t in texts if t is not None and t.get_visible() and t.get_text().strip()]


def _corners(text: Any, renderer: Any) -> np.ndarray:
    """The four corners (display units) of a text's box, rotated as it is drawn."""
    box = text.get_window_extent(renderer)
    angle = text.get_rotation()
    if angle % 180 == 0:
        width, height = box.width, box.height
    else:  # measure it upright, then turn the upright box about the drawn box's centre
        text.set_rotation(0)
        upright = text.get_window_extent(renderer)
        text.set_rotation(angle)
        width, height = upright.width, upright.height
    width, height = max(width - 1, 0), max(height - 1, 0)  # half a pixel in on every side
    theta = np.deg2rad(angle)
    axes = np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
    centre = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
    signs = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) / 2
    return np.asarray(centre + (signs * [width, height]) @ axes)


def _polygons_overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """Separating-axis test for two convex quadrilaterals."""
    for poly in (a, b):
        for i in range(4):
            edge = poly[(i + 1) % 4] - poly[i]
            normal = np.array([-edge[1], edge[0]])
            pa, pb = a @ normal, b @ normal
            if pa.max() <= pb.min() or pb.max() <= pa.min():
                return False
    return True


def text_overlaps(fig: MplFigure, draw: bool = True) -> tuple[str, ...]:
    """Pairs of the figure's texts whose (rotated) boxes overlap, and texts that leave the
    canvas.

    Measured on the Agg renderer after a full layout (the constrained layout runs on
    draw; ``draw=False`` when the figure was just saved, which laid it out); boxes are
    shrunk by half a pixel so texts that merely touch do not count.
    """
    if draw or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    canvas = fig.bbox
    shapes = []
    problems = []
    for text in _texts(fig):
        box = text.get_window_extent(renderer)
        if box.width <= 1 or box.height <= 1:
            continue
        label = text.get_text()
        if (
            box.x0 < canvas.x0 - 1
            or box.y0 < canvas.y0 - 1
            or box.x1 > canvas.x1 + 1
            or box.y1 > canvas.y1 + 1
        ):
            problems.append(f"{label!r} leaves the canvas")
        shapes.append((label, _corners(text, renderer)))
    for i, (first, a) in enumerate(shapes):
        for second, b in shapes[i + 1 :]:
            if _polygons_overlap(a, b):
                problems.append(f"{first!r} overlaps {second!r}")
    return tuple(problems)


def drawn(fig: MplFigure) -> dict[str, Any]:
    """``png``, ``svg`` and ``text_overlaps`` of a finished figure, as
    :class:`~verification.report.document.Figure` keyword arguments."""
    fig.set_dpi(PNG_DPI)  # so the PNG's layout is the one measured, without drawing again
    png = render_png(fig)
    overlaps = text_overlaps(fig, draw=False)
    return {"png": png, "svg": render_svg(fig), "text_overlaps": overlaps}


def new_figure(width: float = 7.0, height: float = 3.7, columns: int = 1) -> tuple[MplFigure, Any]:
    """A figure of ``width`` x ``height`` inches with ``columns`` axes side by side."""
    fig = MplFigure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, columns)
    return fig, axes


def errorbars(ax: Any, x: Any, estimates: Sequence[Mapping[str, float]], **kw: Any) -> None:
    """Points at the estimates with bars to their ``ci_low`` and ``ci_high``."""
    y = np.array([e["estimate"] for e in estimates])
    low = np.array([e["ci_low"] for e in estimates])
    high = np.array([e["ci_high"] for e in estimates])
    ax.errorbar(
        x, y, yerr=[y - low, high - y], fmt=kw.pop("fmt", "o"), capsize=3, markersize=5, **kw
    )
