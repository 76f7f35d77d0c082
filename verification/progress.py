"""Progress on stderr for the long commands: a tqdm bar, only where stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

__all__ = ["steps"]

T = TypeVar("T")


def steps(items: Iterable[T], total: int, desc: str, enabled: bool) -> Iterator[T]:
    """Iterate over ``items`` with a bar on stderr (no-op unless ``enabled`` and a TTY)."""
    show = enabled and sys.stderr.isatty()
    bar = tqdm(items, total=total, desc=desc, file=sys.stderr, disable=not show, leave=False)
    try:
        yield from bar
    finally:
        bar.close()
