"""A sweep over explicit ``[[points]]`` instead of a grid (the readings search uses it)."""

from __future__ import annotations

import pytest

from verification.errors import UsageError
from verification.sweep import expand_points, load_config, read_rows, resolve_command, run_sweep

POINTS = """
    command = "simulate fake"
    seed = 3
    [fixed]
    sleep = 0.0
    [[points]]
    x = 0.5
    [[points]]
    x = 1.5
    [[points]]
    x = 2.5
    """


def test_explicit_points_run_once_each_with_seeds_from_their_options(
    write_config, fake_modules, tmp_path
):
    path = write_config(POINTS)
    summary = run_sweep(path, tmp_path / "out", in_process=True, quiet=True,
                        command_modules=fake_modules)  # fmt: skip
    assert summary.points == summary.computed == 3
    rows = read_rows(tmp_path / "out" / "results.jsonl").rows
    assert sorted(r["options"]["x"] for r in rows) == [0.5, 1.5, 2.5]
    # a point's seed depends on its options only: the same point in a grid has the same seed
    grid = write_config(POINTS.split("[[points]]")[0] + "[grid]\nx = [0.5, 1.5, 2.5]\n", "g.toml")
    spec = resolve_command(("simulate", "fake"), fake_modules)
    seeds = {p.options["x"]: p.seed for p in expand_points(load_config(grid), spec)}
    assert {r["options"]["x"]: r["seed"] for r in rows} == seeds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (POINTS + "[grid]\nx = [1.0]\n", "config: points: give either [grid] or [[points]]"),
        (POINTS + "[[points]]\nx = 0.5\n", "config: points[3]: the same point appears twice"),
        (POINTS.replace("x = 2.5", "sleep = 1.0"), "config: points[2].sleep: also set in [fixed]"),
        ('command = "simulate fake"\nseed = 1\npoints = 3\n', "config: points: expected"),
    ],
)
def test_bad_points_are_one_line_config_errors(
    write_config, fake_modules, tmp_path, text, expected
):
    with pytest.raises(UsageError) as info:
        run_sweep(write_config(text), tmp_path / "out", in_process=True, quiet=True,
                  command_modules=fake_modules)  # fmt: skip
    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)
    assert not (tmp_path / "out").exists()
