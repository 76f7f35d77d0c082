"""Hypothesis strategies shared by the tests of theory/ (Sec. 5 items 2-6)."""

from hypothesis import strategies as st


@st.composite
def vector_pairs(draw, values=(-1, 0, 1), min_n=1, max_n=12):
    """Two nonzero vectors of the same length with components in ``values``."""
    n = draw(st.integers(min_n, max_n))
    nonzero = [v for v in values if v != 0]

    def one():
        vec = draw(st.lists(st.sampled_from(values), min_size=n, max_size=n))
        if not any(vec):
            vec[draw(st.integers(0, n - 1))] = draw(st.sampled_from(nonzero))
        return vec

    return one(), one()


rhos = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False)
