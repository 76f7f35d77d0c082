"""Reproducible, memory-flat streaming of trials in fixed generation blocks.

Trials are cut into **blocks** of ``block_trials`` consecutive trials; block ``b`` draws
all its random numbers from its own generator,
``PCG64(SeedSequence(seed, spawn_key=(b,)))`` — the same stream as
``SeedSequence(seed).spawn(b + 1)[b]``. The block size depends only on the problem's
parameters, never on ``chunk_size``: a chunk merely groups whole blocks so that one
vectorized call handles several of them. Statistics are accumulated block by block in
block order, so results are bit-for-bit identical for every chunk size.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._validate import check_count
from .estimate import StreamingMoments

__all__ = [
    "Block",
    "block_generator",
    "block_trials_for",
    "check_chunk_size",
    "chunk_trial_count",
    "progress_bar",
    "stream_moments",
]

#: Elements (e.g. inputs x components) generated per block, when a trial is small.
BLOCK_ELEMENTS = 1 << 19
#: Upper bound on trials in a block.
MAX_BLOCK_TRIALS = 4096
#: Default elements per chunk (about 64 MB of float64).
CHUNK_ELEMENTS = 1 << 23


@dataclass(frozen=True)
class Block:
    """Trials ``start .. start + size - 1``, drawn from ``rng``."""

    index: int
    start: int
    size: int
    rng: np.random.Generator


def block_generator(seed: int, index: int) -> np.random.Generator:
    """The generator of block ``index``: child ``index`` of ``SeedSequence(seed)``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(index,))))


def block_trials_for(elements_per_trial: int) -> int:
    """Trials per generation block for a trial of ``elements_per_trial`` random numbers."""
    return int(max(1, min(MAX_BLOCK_TRIALS, BLOCK_ELEMENTS // max(1, elements_per_trial))))


def check_chunk_size(chunk_size: object) -> int | None:
    """``chunk_size``: ``None`` (automatic) or trials per chunk, an integer >= 1."""
    return None if chunk_size is None else check_count("chunk_size", chunk_size)


def chunk_trial_count(trials: int, elements_per_trial: int, chunk_size: int | None) -> int:
    """Trials simulated at once (what sets the memory): whole blocks, at most ``trials``.

    ``chunk_size`` ``None`` means about :data:`CHUNK_ELEMENTS` elements per chunk.
    """
    block_trials = block_trials_for(elements_per_trial)
    if chunk_size is None:
        wanted = max(block_trials, CHUNK_ELEMENTS // max(1, elements_per_trial))
    else:
        wanted = chunk_size
    return min(trials, max(1, wanted // block_trials) * block_trials)


def _chunks(
    seed: int, trials: int, block_trials: int, chunk_size: int | None, elements_per_trial: int
) -> Iterator[list[Block]]:
    checked = check_chunk_size(chunk_size)
    if checked is None:
        chunk_trials = max(block_trials, CHUNK_ELEMENTS // max(1, elements_per_trial))
    else:
        chunk_trials = checked
    blocks_per_chunk = max(1, chunk_trials // block_trials)
    n_blocks = -(-trials // block_trials)
    for first in range(0, n_blocks, blocks_per_chunk):
        chunk = []
        for index in range(first, min(first + blocks_per_chunk, n_blocks)):
            start = index * block_trials
            size = min(block_trials, trials - start)
            chunk.append(Block(index, start, size, block_generator(seed, index)))
        yield chunk


class _NoBar:
    """What :func:`progress_bar` gives when no bar is shown (tqdm is then not even imported)."""

    disable = True

    def update(self, n: int = 1) -> None:
        """Nothing to show."""

    def close(self) -> None:
        """Nothing to close."""


@contextmanager
def progress_bar(total: int, desc: str, enabled: bool) -> Iterator[Any]:
    """A tqdm bar on stderr, shown only after 1 s and only when stderr is a terminal."""
    if not (enabled and sys.stderr.isatty()):
        yield _NoBar()
        return
    from tqdm import tqdm

    bar = tqdm(
        total=total, desc=desc, unit="trial", delay=1.0, leave=False,
        file=sys.stderr, unit_scale=True, dynamic_ncols=True,
    )  # fmt: skip
    try:
        yield bar
    finally:
        bar.close()


def stream_moments(
    seed: int,
    trials: int,
    elements_per_trial: int,
    simulate: Callable[[Sequence[Block]], Mapping[str, npt.NDArray[np.float64]]],
    cross: Sequence[tuple[str, str]] = (),
    chunk_size: int | None = None,
    progress: bool = False,
    desc: str = "simulating",
) -> StreamingMoments:
    """Run ``simulate`` on chunks of blocks and accumulate its per-trial samples.

    ``simulate(blocks)`` returns named arrays of shape (Σ block sizes, ...), the trials of
    the blocks in order; every block must draw only from its own ``rng``. ``chunk_size``
    (trials) only groups whole blocks, so it never changes the result.
    """
    block_trials = block_trials_for(elements_per_trial)
    moments = StreamingMoments(cross=cross)
    with progress_bar(trials, desc, progress) as bar:
        for chunk in _chunks(seed, trials, block_trials, chunk_size, elements_per_trial):
            samples = simulate(chunk)
            offset = 0
            for block in chunk:
                moments.add({k: v[offset : offset + block.size] for k, v in samples.items()})
                offset += block.size
            bar.update(offset)
    return moments
