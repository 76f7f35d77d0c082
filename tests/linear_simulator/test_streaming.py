"""Streaming: block streams are SeedSequence children, memory is flat, no bar off a terminal."""

import io
import sys
import tracemalloc

import numpy as np

from simulation import simulate_retrain
from simulation._streaming import block_generator, progress_bar


def test_block_streams_are_the_spawned_children_of_the_seed():
    children = np.random.SeedSequence(123).spawn(4)
    for index, child in enumerate(children):
        expected = np.random.Generator(np.random.PCG64(child)).random(5)
        assert np.array_equal(block_generator(123, index).random(5), expected)


def peak_mib(trials):
    tracemalloc.start()
    simulate_retrain("zero-one", 10, 100, 50, q=0.5, trials=trials, seed=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def test_memory_does_not_grow_with_the_number_of_trials():
    small, large = peak_mib(20_000), peak_mib(200_000)
    assert large < 1.2 * small + 0.5


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal_and_only_if_asked(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with progress_bar(10, "x", enabled=True) as bar:
        assert bar.disable
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    with progress_bar(10, "x", enabled=False) as bar:
        assert bar.disable
    with progress_bar(10, "x", enabled=True) as bar:
        assert not bar.disable
        bar.update(10)


def test_no_output_when_stderr_is_not_a_terminal(capsys):
    simulate_retrain("zero-one", 100, 200, 100, q=0.5, trials=300, seed=2, progress=True)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
