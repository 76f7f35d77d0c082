"""Grid points: keys and seeds depend on the sweep seed and the point's options only."""

from __future__ import annotations

from verification.cli import build_parser
from verification.sweep import expand_points, load_config, point_seed, resolve_command
from verification.sweep.command import parse_point_argv


def points_of(write_config, fake_modules, text, name="sweep.toml"):
    config = load_config(write_config(text, name))
    spec = resolve_command(config.command, fake_modules)
    return expand_points(config, spec)


def by_options(points):
    return {(tuple(sorted(p.options.items())), p.replicate): p for p in points}


def test_seed_and_key_do_not_depend_on_grid_order_or_other_points(write_config, fake_modules):
    first = points_of(
        write_config,
        fake_modules,
        'command = "simulate fake"\nseed = 7\n[fixed]\nsleep = 0.0\n'
        "[grid]\nx = [0.5, 1.5, 2.5]\nflag = [false, true]\n",
        "a.toml",
    )
    second = points_of(
        write_config,
        fake_modules,
        'command = "simulate fake"\nseed = 7\n[grid]\nflag = [true, false]\nx = [2.5, 0.5]\n'
        "[fixed]\nsleep = 0.0\n",
        "b.toml",
    )
    a, b = by_options(first), by_options(second)
    assert len(b) == 4 and set(b) < set(a)
    for identity, point in b.items():
        assert point.seed == a[identity].seed
        assert point.key == a[identity].key


def test_seeds_differ_between_points_replicates_and_sweep_seeds(write_config, fake_modules):
    text = 'command = "simulate fake"\nseed = {seed}\nreplicates = 3\n[grid]\nx = [0.5, 1.5]\n'
    one = points_of(write_config, fake_modules, text.format(seed=1), "one.toml")
    two = points_of(write_config, fake_modules, text.format(seed=2), "two.toml")
    assert [p.replicate for p in one] == [0, 1, 2, 0, 1, 2]
    assert len({p.seed for p in one} | {p.seed for p in two}) == 12
    assert len({p.key for p in one} | {p.key for p in two}) == 12
    assert all(0 <= p.seed < 2**53 for p in one)
    assert one[4].label == "x=1.5, replicate=1"


def test_the_seed_derivation_is_pinned():
    # Changing the derivation would silently invalidate every results.jsonl being resumed.
    assert point_seed(1, "simulate retrain", {"n": 10, "q": 0.5}, 0) == point_seed(
        1, "simulate retrain", {"q": 0.5, "n": 10}, 0
    )
    assert point_seed(1, "simulate retrain", {"n": 10, "q": 0.5}, 0) == 5707868006751429
    assert point_seed(1, "simulate retrain", {"n": 10, "q": 0.5}, 1) != 5707868006751429
    assert point_seed(1, "simulate pair", {"n": 10, "q": 0.5}, 0) != 5707868006751429


def test_argv_spells_values_as_the_command_line_does(write_config, fake_modules):
    (point,) = points_of(
        write_config,
        fake_modules,
        'command = "simulate fake"\nseed = 1\n[fixed]\nx = 0.1\ntrials = 50\nflag = true\n'
        'label = "b c"\ndraw-scale = 1e-3\n[grid]\nblur = ["decay"]\n',
    )
    assert point.argv == (
        "simulate", "fake", "--x", "0.1", "--trials", "50", "--flag", "--label", "b c",
        "--draw-scale", "0.001", "--blur", "decay", "--seed", str(point.seed),
    )  # fmt: skip
    (off,) = points_of(
        write_config,
        fake_modules,
        'command = "simulate fake"\nseed = 1\n[fixed]\nx = 1\nflag = false\n',
    )
    assert "--flag" not in off.argv


def test_commands_without_seed_get_none_and_no_seed_option(write_config, fake_modules):
    points = points_of(
        write_config, fake_modules, 'command = "theory fake"\n[grid]\nx = [1.0, 2.0]\n'
    )
    assert [p.seed for p in points] == [None, None]
    assert all("--seed" not in p.argv for p in points)


def test_positionals_and_lists(write_config, fake_modules):
    spec = resolve_command(("derive",), fake_modules)
    assert spec.argv({"latex": True, "name": "eq1-factorization"}, None) == [
        "eq1-factorization",
        "--latex",
    ]
    fake = resolve_command(("simulate", "fake"), fake_modules)
    assert fake.argv({"label": (1, 0.5, -1)}, 9) == ["--label", "1,0.5,-1", "--seed", "9"]


def test_the_point_parser_reads_argv_exactly_as_the_fastweights_parser():
    argv = ["eq1-factorization", "--latex"]
    ours = vars(parse_point_argv("verification.commands.derive", argv))
    theirs = vars(build_parser().parse_args(["derive", *argv]))
    theirs.pop("command")
    assert ours == theirs
