"""Fig. 4 of Hinton & Plaut (1987): the data needed to draw weight space.

Coordinates are the weight error ``e = w - w*`` (O, the solution point, at the
origin), with input 1 along the first axis: ``a = (1, 0)``, ``b = (cos φ, sin φ)``.
Line 1 (``a·e = 0``) and line 2 (``b·e = 0``) are the solution lines of the two
associations; the noise circle has radius r; retraining on association 1 with
contraction λ carries it to the ellipse ``r (λ cos t, sin t)`` (Sec. 5.3).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._validate import check_count
from .geometry import checked_angles

__all__ = ["fig4_geometry"]

Array = npt.NDArray[np.float64]


def _check_radius(radius: object) -> float:
    from ._validate import ParameterError

    if isinstance(radius, bool) or not isinstance(radius, (int, float, np.integer, np.floating)):
        raise ParameterError("radius", "a finite number > 0", radius)
    if not (np.isfinite(float(radius)) and float(radius) > 0):
        raise ParameterError("radius", "a finite number > 0", radius)
    return float(radius)


def fig4_geometry(
    angle: float, contraction: float, radius: float = 1.0, points: int = 721
) -> dict[str, npt.NDArray[np.generic]]:
    """Arrays for drawing Fig. 4 (angle φ in degrees in (0, 180), contraction λ in (0, 1]).

    Returns a dict of numpy arrays (N = ``points``):

    - ``t`` (N,): the circle's angle parameter on [0, 2π].
    - ``circle`` (N, 2): ``r (cos t, sin t)``; ``ellipse`` (N, 2): ``r (λ cos t, sin t)``.
    - ``circle_positive``, ``ellipse_positive`` (N,) bool: positive transfer at that
      point, i.e. ``(a·e)(b·e)(a·b) > 0``.
    - ``input_1``, ``input_2`` (2,): unit vectors a and b.
    - ``line_1``, ``line_2`` (2, 2): end points of the solution lines (through O,
      perpendicular to a and b), half-length 1.3 r.
    - ``circle_arc_boundaries``, ``ellipse_arc_boundaries`` (4, 2): where lines 1 and 2
      cross the circle / ellipse (rows: line 1 twice, then line 2 twice); they bound
      the two larger (positive-transfer) arcs.

    Examples:
        Inputs 60 degrees apart, error contracted to half along input 1:

        >>> from theory import fig4_geometry
        >>> g = fig4_geometry(60, 0.5, points=5)
        >>> g["input_2"].round(3)
        array([0.5  , 0.866])
        >>> g["ellipse"].round(3)  # r (lambda cos t, sin t) at t = 0, pi/2, pi, 3 pi/2, 2 pi
        array([[ 0.5,  0. ],
               [ 0. ,  1. ],
               [-0.5,  0. ],
               [-0. , -1. ],
               [ 0.5, -0. ]])
    """
    phi_arr, lam_arr, _ = checked_angles(angle, contraction)
    if np.ndim(phi_arr) or np.ndim(lam_arr):
        from ._validate import ParameterError

        raise ParameterError("angle", "a single number (not an array) for a figure", angle)
    phi, lam = float(phi_arr), float(lam_arr)
    r = _check_radius(radius)
    n_points = check_count("points", points, minimum=3)

    a = np.array([1.0, 0.0])
    b = np.array([np.cos(phi), np.sin(phi)])
    t = np.linspace(0.0, 2.0 * np.pi, n_points)
    circle = r * np.column_stack([np.cos(t), np.sin(t)])
    ellipse = r * np.column_stack([lam * np.cos(t), np.sin(t)])

    def positive(e: Array) -> npt.NDArray[np.bool_]:
        return np.asarray((e @ a) * (e @ b) * float(a @ b) > 0.0)

    def line(normal: Array) -> Array:
        direction = np.array([-normal[1], normal[0]])
        return np.array([-1.3 * r * direction, 1.3 * r * direction])

    # Parameters t of the crossings: line 1 at t = ±π/2; line 2 where
    # λ cos φ cos t + sin φ sin t = 0, i.e. t = -atan2(λ cos φ, sin φ) (+ π).
    def crossings(contraction_: float) -> Array:
        t_line_2 = -np.arctan2(contraction_ * np.cos(phi), np.sin(phi))
        return np.array([np.pi / 2, -np.pi / 2, t_line_2, t_line_2 + np.pi])

    t_circle, t_ellipse = crossings(1.0), crossings(lam)
    return {
        "t": t,
        "circle": circle,
        "ellipse": ellipse,
        "circle_positive": positive(circle),
        "ellipse_positive": positive(ellipse),
        "input_1": a,
        "input_2": b,
        "line_1": line(a),
        "line_2": line(b),
        "circle_arc_boundaries": r * np.column_stack([np.cos(t_circle), np.sin(t_circle)]),
        "ellipse_arc_boundaries": r * np.column_stack([lam * np.cos(t_ellipse), np.sin(t_ellipse)]),
    }
