"""One ``ParameterError``: ``theory`` and ``simulation`` raise the same class (``foundation``),
so catching one catches the other's, and the command line reports both as one line."""

from __future__ import annotations

import pytest

import foundation
import simulation
import theory
from foundation.errors import ParameterError
from verification.errors import USER_ERRORS


def test_theory_and_simulation_share_one_class():
    assert theory.ParameterError is simulation.ParameterError is ParameterError
    assert foundation.ParameterError is ParameterError
    assert issubclass(ParameterError, ValueError)


def test_catching_one_catches_the_others():
    with pytest.raises(theory.ParameterError):
        simulation.simulate_pair([1, 0], [1, 0, 1], trials=10, seed=0)
    with pytest.raises(simulation.ParameterError):
        theory.positive_transfer_probability(180.0, 0.5)


def test_message_names_the_parameter_and_what_it_accepts():
    error = ParameterError("q", "a number in (0, 1]", 1.5)
    assert str(error) == "q: expected a number in (0, 1], got 1.5"
    assert (error.name, error.accepts) == ("q", "a number in (0, 1]")


def test_the_command_line_reports_it_as_a_user_error():
    assert ParameterError in USER_ERRORS


def test_verification_errors_are_parameter_errors_too():
    """One exception to catch: a bad option, an unusable path or a resource refusal of
    ``verification`` is caught by ``except ParameterError``."""
    from verification.engine.registry import select_specs

    with pytest.raises(ParameterError) as caught:
        select_specs(["no-such-claim"])
    assert str(caught.value).startswith("--claim: expected one of ")
    assert caught.value.accepts.startswith("one of ")
