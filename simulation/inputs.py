"""Random input vectors: the ensembles of Sec. 5.1 (0/1) and Sec. 5.2 ({1, 0, -1}).

* ``"zero-one"``: components 1 with probability q, else 0 (the paper's q = 1/2).
* ``"signed"``: components 1 and -1 each with probability p, else 0.
* ``without_replacement``: the K associations' input vectors are K *distinct* vectors, a
  uniformly random ordered K-subset of all 2^n (zero-one, q must be 1/2) or 3^n (signed,
  p must be 1/3) vectors — the paper draws 100 distinct vectors out of 2^10 (Sec. 4).

The zero vector is allowed wherever the draw produces it. Cheap random bits: for q = 1/2
(and p = 1/2) each component costs one random bit, not one random double.

The canonical draw (:meth:`InputEnsemble.draw_components`) is *component-major* int8,
shape (n, trials, K): the layout the fast retraining kernel reads; :meth:`InputEnsemble.draw`
and :func:`draw_inputs` return the same numbers as float64 of shape (trials, K, n).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ._validate import ParameterError, check_choice, check_count, check_p, check_q

__all__ = ["INPUT_KINDS", "InputEnsemble", "draw_inputs", "input_ensemble"]

INPUT_KINDS = ("zero-one", "signed")
#: Above this many possible vectors, distinctness is checked on packed rows, not codes.
_MAX_CODE = 1 << 62

FloatArray = npt.NDArray[np.float64]
Int8Array = npt.NDArray[np.int8]


@dataclass(frozen=True)
class InputEnsemble:
    """A validated input ensemble: kind, dimension n, q or p, with/without replacement."""

    kind: str
    n: int
    q: float | None = None
    p: float | None = None
    without_replacement: bool = False

    @property
    def vector_count(self) -> int:
        """How many different vectors there are: 2^n (zero-one) or 3^n (signed)."""
        return int((2 if self.kind == "zero-one" else 3) ** self.n)

    def draw_components(
        self, rng: np.random.Generator, associations: int, trials: int = 1
    ) -> Int8Array:
        """Input vectors as int8, component-major: ``x[i, t, k]`` is component i of the input
        of association k in trial t; shape (n, trials, associations)."""
        if self.without_replacement:
            return _draw_distinct(rng, self, associations, trials)
        return _draw_independent(rng, self, (self.n, trials, associations))

    def draw(self, rng: np.random.Generator, associations: int, trials: int = 1) -> FloatArray:
        """Input vectors of shape (trials, associations, n), float64 (the same numbers as
        :meth:`draw_components`)."""
        x = self.draw_components(rng, associations, trials)
        return np.ascontiguousarray(x.transpose(1, 2, 0), dtype=np.float64)


def input_ensemble(
    inputs: str,
    n: object,
    q: object = None,
    p: object = None,
    without_replacement: bool = False,
    associations: object = None,
) -> InputEnsemble:
    """Validate an ensemble as ``fastweights theory`` does (and K <= 2^n or 3^n without
    replacement, when ``associations`` is given)."""
    kind = check_choice("inputs", inputs, INPUT_KINDS)
    n_ = check_count("n", n)
    if not isinstance(without_replacement, (bool, np.bool_)):
        raise ParameterError("without_replacement", "True or False", without_replacement)
    if kind == "zero-one":
        if p is not None:
            raise ParameterError("p", "no p for zero-one inputs (they take q)", p)
        if q is None:
            raise ParameterError("q", "a number in (0, 1] for zero-one inputs", q)
        q_ = check_q(q)
        if without_replacement and not _is_fraction(q_, 1, 2):
            raise ParameterError(
                "without_replacement",
                "q = 1/2 for zero-one inputs (uniform over all 2^n vectors)",
                f"q = {q}",
            )
        ensemble = InputEnsemble(kind, n_, q=q_, without_replacement=bool(without_replacement))
    else:
        if q is not None:
            raise ParameterError("q", "no q for signed inputs (they take p)", q)
        if p is None:
            raise ParameterError("p", "a number in (0, 1/2] for signed inputs", p)
        p_ = check_p(p)
        if without_replacement and not _is_fraction(p_, 1, 3):
            raise ParameterError(
                "without_replacement",
                "p = 1/3 for signed inputs (uniform over all 3^n vectors)",
                f"p = {p}",
            )
        if without_replacement:
            p_ = 1.0 / 3.0
        ensemble = InputEnsemble(kind, n_, p=p_, without_replacement=bool(without_replacement))
    if associations is not None:
        k = check_count("associations", associations)
        if ensemble.without_replacement and k > ensemble.vector_count:
            base = 2 if kind == "zero-one" else 3
            raise ParameterError(
                "associations",
                f"an integer <= {base}^n = {ensemble.vector_count} without replacement",
                k,
            )
    return ensemble


def _is_fraction(value: float, numerator: int, denominator: int) -> bool:
    """Whether ``value`` is ``numerator/denominator`` as ``theory`` reads a probability: the
    nearest rational with denominator <= 10^12 if it is the float to within rounding
    (relative 2^-50), else the float's exact binary value."""
    exact = Fraction(value)
    near = exact.limit_denominator(10**12)
    read = near if near != 0 and abs(near - exact) <= abs(exact) * Fraction(1, 2**50) else exact
    return read == Fraction(numerator, denominator)


def draw_inputs(
    rng: np.random.Generator,
    inputs: str,
    n: int,
    associations: int,
    q: float | None = None,
    p: float | None = None,
    without_replacement: bool = False,
    trials: int = 1,
) -> FloatArray:
    """Random input vectors, shape (trials, associations, n), float64 entries in {0, 1}
    or {1, 0, -1}. Validation as :func:`input_ensemble`.

    Examples:
        Two trials of three random 0/1 input vectors in four dimensions, P(1) = 1/2:

        >>> import numpy as np
        >>> from simulation import draw_inputs
        >>> rng = np.random.default_rng(0)
        >>> x = draw_inputs(rng, "zero-one", n=4, associations=3, q=0.5, trials=2)
        >>> x.shape, sorted(np.unique(x).tolist())
        ((2, 3, 4), [0.0, 1.0])
        >>> x[0]
        array([[1., 1., 0., 0.],
               [1., 0., 0., 0.],
               [1., 0., 0., 0.]])
        >>> x = draw_inputs(rng, "signed", 2, 9, p=1 / 3, without_replacement=True)
        >>> len({tuple(row) for row in x[0]})  # all 3^2 vectors, each once
        9
    """
    ensemble = input_ensemble(inputs, n, q, p, without_replacement, associations)
    k = check_count("associations", associations)
    t = check_count("trials", trials)
    return ensemble.draw(rng, k, t)


def _random_bits(rng: np.random.Generator, count: int) -> npt.NDArray[np.uint8]:
    """``count`` independent fair bits (0/1 as uint8): one random bit each."""
    words = rng.bit_generator.random_raw(-(-count // 64))
    return np.unpackbits(words.view(np.uint8), count=count, bitorder="little")


def _draw_independent(
    rng: np.random.Generator, ensemble: InputEnsemble, shape: tuple[int, ...]
) -> Int8Array:
    """I.i.d. components of the given shape, int8."""
    count = math.prod(shape)
    if ensemble.kind == "zero-one":
        if ensemble.q == 0.5:
            return _random_bits(rng, count).view(np.int8).reshape(shape)
        return (rng.random(shape) < float(ensemble.q or 0.0)).view(np.int8)
    p = float(ensemble.p or 0.0)
    if p == 0.5:
        bits = _random_bits(rng, count).view(np.int8).reshape(shape)
        return bits + bits - np.int8(1)
    u = rng.random(shape)
    return (u < p).view(np.int8) - (u >= 1.0 - p).view(np.int8)


def _codes_to_components(codes: npt.NDArray[np.int64], ensemble: InputEnsemble) -> Int8Array:
    """Integer codes (T, K) in [0, 2^n) or [0, 3^n) to component-major vectors (n, T, K):
    binary digits, or ternary digits minus 1."""
    out = np.empty((ensemble.n, *codes.shape), dtype=np.int8)
    if ensemble.kind == "zero-one":
        for i in range(ensemble.n):
            out[i] = (codes >> i) & 1
        return out
    rest = codes.copy()
    for i in range(ensemble.n):
        rest, digit = np.divmod(rest, 3)
        out[i] = digit - 1
    return out


def _harmonic(m: int) -> float:
    """H_m = 1 + 1/2 + ... + 1/m (asymptotic series; H_0 = 0)."""
    if m == 0:
        return 0.0
    return math.log(m) + 0.5772156649015329 + 1.0 / (2 * m) - 1.0 / (12 * m * m)


def _first_distinct(
    rng: np.random.Generator, count: int, k: int, trials: int
) -> npt.NDArray[np.int64]:
    """Per trial, the first k distinct values of an i.i.d. uniform stream on [0, count).

    This is a uniformly random ordered k-subset (sequential rejection). A trial whose
    stream segment holds fewer than k distinct values is redrawn with a longer segment
    (the event is invariant under relabelling values, so the result stays uniform).
    """
    expected = count * (_harmonic(count) - _harmonic(count - k))
    length = int(min(max(1.3 * expected + 16, k), 64 * count + k))
    out = np.empty((trials, k), dtype=np.int64)
    pending = np.arange(trials)
    while pending.size:
        cand = rng.integers(0, count, size=(pending.size, length), dtype=np.int64)
        order = np.argsort(cand, axis=1, kind="stable")
        ranked = np.take_along_axis(cand, order, axis=1)
        new = np.ones(ranked.shape, dtype=bool)
        new[:, 1:] = ranked[:, 1:] != ranked[:, :-1]
        first = np.zeros_like(new)
        np.put_along_axis(first, order, new, axis=1)
        enough = first.sum(axis=1) >= k
        keep = first & (np.cumsum(first, axis=1) <= k)
        out[pending[enough]] = cand[enough][keep[enough]].reshape(-1, k)
        pending = pending[~enough]
        length *= 2
    return out


def _packed_rows(x: npt.NDArray[np.int8]) -> npt.NDArray[np.void]:
    """Each row of x (..., n) with entries in {-1, 0, 1} as an opaque byte string."""
    planes = np.concatenate([x > 0, x < 0], axis=-1)
    packed = np.ascontiguousarray(np.packbits(planes, axis=-1))
    return packed.view(np.dtype((np.void, packed.shape[-1])))[..., 0]


def _draw_distinct(
    rng: np.random.Generator, ensemble: InputEnsemble, k: int, trials: int
) -> Int8Array:
    if ensemble.vector_count <= _MAX_CODE:
        codes = _first_distinct(rng, ensemble.vector_count, k, trials)
        return _codes_to_components(codes, ensemble)
    return _draw_distinct_rejecting(rng, ensemble, k, trials)


def _draw_distinct_rejecting(
    rng: np.random.Generator, ensemble: InputEnsemble, k: int, trials: int
) -> Int8Array:
    """Large n: draw i.i.d. uniform vectors, then in any trial with a repeated vector redraw
    each repeat (in order) until it differs from all earlier ones — sequential rejection."""
    n = ensemble.n
    x = _draw_independent(rng, ensemble, (n, trials, k))
    rows = x.transpose(1, 2, 0)  # (T, K, n) view
    keys = np.sort(_packed_rows(rows), axis=1)
    repeated = np.nonzero(np.any(keys[:, 1:] == keys[:, :-1], axis=1))[0]
    for t in repeated:
        seen: set[bytes] = set()
        for j in range(k):
            while (key := _packed_rows(rows[t, j]).tobytes()) in seen:
                x[:, t, j] = _draw_independent(rng, ensemble, (n,))
            seen.add(key)
    return x
