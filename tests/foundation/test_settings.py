"""``foundation.settings``: a parameter declared once gives its check, option and docs row."""

from __future__ import annotations

import argparse
import dataclasses
import inspect
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from foundation.errors import ParameterError
from foundation.settings import (
    Choice,
    Integer,
    Optional,
    Real,
    RealPair,
    Settings,
    add_options,
    declared,
    markdown_table,
    parameter,
)
from simulation.deblur_protocol import DeblurCondition, DeblurSeeds, DeblurSettings
from simulation.geometry import GeometrySettings, simulate_geometry
from simulation.pair import PairSettings, simulate_pair
from simulation.retrain import RetrainSettings, simulate_retrain
from simulation.vector_transfer import VectorTransferSettings, simulate_vector_transfer

DOCS = Path(__file__).resolve().parents[2] / "docs" / "usage.md"

SIMULATORS = [
    (PairSettings, simulate_pair),
    (GeometrySettings, simulate_geometry),
    (RetrainSettings, simulate_retrain),
    (VectorTransferSettings, simulate_vector_transfer),
]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Example(Settings):
    count: int = parameter(3, Integer(0), "how many", metavar="N")
    rate: float = parameter(kind=Real(0.0, 1.0, high_closed=False), help="a rate")
    mode: str = parameter("a", Choice(("a", "b")), "a mode")
    size: int | None = parameter(None, Optional(Integer(1)), "a size", option=False)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (Integer(1), 0, "x: expected an integer >= 1, got 0"),
        (Integer(1), True, "x: expected an integer >= 1, got True"),
        (Integer(1, 20), 21, "x: expected an integer in [1, 20], got 21"),
        (Real(0.0), 0.0, "x: expected a finite number > 0, got 0.0"),
        (Real(0.0, low_closed=True), -1, "x: expected a finite number >= 0, got -1"),
        (Real(0.0, 1.0), float("nan"), "x: expected a number in (0, 1], got nan"),
        (Real(0.0, 1.0), Fraction(1, 2), "x: expected a number in (0, 1], got Fraction(1, 2)"),
        (Real(words="a level"), "1", "x: expected a level, got '1'"),
        (Choice(("a", "b")), "c", "x: expected one of a, b, got 'c'"),
        (Optional(Integer(1)), 0, "x: expected an integer >= 1, got 0"),
        (
            RealPair(),
            "0.9,0.1",
            "x: expected two numbers LOW,HIGH with 0 <= LOW < HIGH <= 1, got '0.9,0.1'",
        ),
        (
            RealPair(),
            ["0.1", "0.9"],
            "x: expected two numbers LOW,HIGH with 0 <= LOW < HIGH <= 1, got ['0.1', '0.9']",
        ),
        (
            RealPair(),
            (0.1, float("nan")),
            "x: expected two numbers LOW,HIGH with 0 <= LOW < HIGH <= 1, got (0.1, nan)",
        ),
        (
            RealPair(),
            (0.1, 0.5, 0.9),
            "x: expected two numbers LOW,HIGH with 0 <= LOW < HIGH <= 1, got (0.1, 0.5, 0.9)",
        ),
        (
            RealPair(),
            np.float64(0.5),
            "x: expected two numbers LOW,HIGH with 0 <= LOW < HIGH <= 1, got np.float64(0.5)",
        ),
        (
            RealPair(-1.0, 1.0),
            "-2,0",
            "x: expected two numbers LOW,HIGH with -1 <= LOW < HIGH <= 1, got '-2,0'",
        ),
    ],
)
def test_a_kind_refuses_in_one_line_naming_the_parameter(kind, value, message):
    with pytest.raises(ParameterError) as info:
        kind.check("x", value)
    assert str(info.value) == message


def test_numpy_scalars_are_numbers_and_come_back_as_python_ones():
    assert Integer(1).check("x", np.int64(3)) == 3 and type(Integer(1).check("x", 3)) is int
    assert Real(0.0).check("x", np.float32(0.5)) == 0.5
    assert Optional(Integer(1)).check("x", None) is None


def test_settings_check_every_field_in_declaration_order():
    assert Example(rate=0.5) == Example(count=3, rate=0.5, mode="a", size=None)
    with pytest.raises(ParameterError, match=r"^count:"):
        Example(count=-1, rate=2.0)
    with pytest.raises(ParameterError, match=r"^rate:"):
        Example(rate=1.0, mode="z")


def test_a_real_pair_is_a_pair_a_string_or_an_array_and_comes_back_as_floats():
    for value in ((0, 1), [0.2, 0.7], "0.2, 0.7", np.array([0.2, 0.7])):
        low, high = RealPair().check("x", value)
        assert type(low) is float and type(high) is float and low < high


@dataclasses.dataclass(frozen=True, kw_only=True)
class Ordered(Settings):
    first: int = parameter(1, Integer(1), "declared first")
    second: int = parameter(1, Integer(1), "declared second, checked first")
    check_order = ("second", "first")


def test_check_order_says_which_check_runs_first():
    with pytest.raises(ParameterError, match=r"^second:"):
        Ordered(first=0, second=0)
    assert [item.name for item, _ in declared(Ordered)] == ["first", "second"]


def test_check_order_names_every_field_once():
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Incomplete(Settings):
        first: int = parameter(1, Integer(1), "a field")
        second: int = parameter(1, Integer(1), "a field left out of the order")
        check_order = ("first",)

    with pytest.raises(TypeError, match="check_order"):
        Incomplete()


def test_options_follow_from_the_declaration():
    parser = argparse.ArgumentParser()
    add_options(parser, Example, ["count", "rate", "mode"], mode={"help": "changed"})
    options = parser.parse_args(["--rate", "0.25"])
    assert (options.count, options.rate, options.mode) == (3, 0.25, "a")
    actions = {action.dest: action for action in parser._actions}
    assert actions["count"].metavar == "N" and actions["rate"].required
    assert actions["mode"].choices == ("a", "b") and actions["mode"].help == "changed"


@pytest.mark.parametrize(("settings", "function"), SIMULATORS, ids=lambda x: x.__name__)
def test_a_simulator_declares_its_defaults_once(settings, function):
    """The public function's parameters (but ``progress``) are the declared ones, with the
    declared defaults."""
    signature = inspect.signature(function).parameters
    fields = {item.name: item.default for item, _ in declared(settings)}
    assert set(signature) - {"progress"} == set(fields)
    for name, default in fields.items():
        expected = inspect.Parameter.empty if default is dataclasses.MISSING else default
        assert signature[name].default == expected, name


DOCUMENTED = [settings for settings, _ in SIMULATORS] + [
    DeblurSettings,
    DeblurSeeds,
    DeblurCondition,
]


@pytest.mark.parametrize("settings", DOCUMENTED, ids=lambda x: x.__name__)
def test_the_docs_list_every_parameter_as_declared(settings):
    assert markdown_table(settings) in DOCS.read_text(encoding="utf-8"), settings.__name__
