"""PEP 561: every installed package ships a ``py.typed`` marker, listed as package data."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("foundation", "theory", "simulation", "verification")


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("package", PACKAGES)
def test_package_has_a_py_typed_marker_shipped_as_package_data(package):
    assert (ROOT / package / "py.typed").is_file()
    assert "py.typed" in _pyproject()["tool"]["setuptools"]["package-data"][package]


def test_every_package_is_installed_and_type_checked():
    tool = _pyproject()["tool"]
    include = tool["setuptools"]["packages"]["find"]["include"]
    assert sorted(include) == sorted(f"{p}*" for p in PACKAGES)
    assert sorted(tool["mypy"]["packages"]) == sorted(PACKAGES)
