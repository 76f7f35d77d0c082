"""The command line: one-line errors with exit status 2, JSON only on stdout."""

import json

import pytest

from verification.cli import main


def test_derive_list_names_every_derivation(capsys):
    import theory

    assert main(["derive", "--list"]) == 0
    out = capsys.readouterr().out
    for name in theory.list_derivations():
        assert name in out


def test_derive_json_is_the_only_stdout(capsys):
    assert main(["derive", "eq1-factorization", "--latex", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "eq1-factorization"
    assert any(step["name"] == "difference" and step["latex"] == "0" for step in data["steps"])


def test_unknown_derivation_is_one_line_exit_2(capsys):
    assert main(["derive", "no-such-thing"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "name: expected one of" in err


def test_unknown_command_is_one_line_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_registered_titles_are_the_built_titles():
    import theory

    for name in theory.list_derivations():
        assert theory.derivation_title(name) == theory.derivation(name).title


def _every_command_path():
    from verification.command_registry import command_modules

    paths = {()}
    for path in command_modules():
        for depth in range(1, len(path) + 1):
            paths.add(path[:depth])
    return sorted(paths)


@pytest.mark.parametrize("path", _every_command_path(), ids=lambda p: " ".join(p) or "fastweights")
def test_every_help_page_renders(path, capsys):
    with pytest.raises(SystemExit) as info:
        main([*path, "--help"])
    assert info.value.code == 0
    assert "usage: fastweights" in capsys.readouterr().out
