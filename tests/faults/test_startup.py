"""Start-up: ``--help`` imports almost nothing, ``simulate`` never sympy; ``--version``; SIGPIPE."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from fault_helpers import REPO, cli_argv, run_cli

import simulation
import theory
from verification.command_registry import command_infos

HEAVY = ("sympy", "scipy", "matplotlib", "dask", "distributed")

_LOADED = (
    "import json, sys\n"
    "from verification.cli import main\n"
    "try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
    "print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})), file=sys.stderr)\n"
)


def _top_level_modules_after(argv: list[str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _LOADED.format(argv=argv)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_help_imports_neither_numpy_nor_anything_heavy():
    loaded = _top_level_modules_after(["--help"])
    assert not loaded & {"numpy", "tqdm", *HEAVY}


@pytest.mark.parametrize(
    "path",
    [info.path for info in command_infos() if info.path[0] == "simulate"],
    ids=" ".join,
)
def test_every_simulate_command_starts_without_sympy(path):
    assert not _top_level_modules_after([*path, "--help"]) & set(HEAVY)


def test_a_simulation_runs_without_sympy_scipy_or_tqdm():
    argv = ["simulate", "pair", "--a", "1,1,0,0", "--b", "1,0,1,0", "--trials", "200"]
    assert not _top_level_modules_after([*argv, "--quiet"]) & {"tqdm", *HEAVY}


def test_version_is_one_line_exit_0():
    done = run_cli(["--version"])
    assert done.returncode == 0
    assert done.stdout.startswith("fastweights ") and done.stdout.count("\n") == 1


def test_output_into_a_closed_pipe_exits_quietly_with_141():
    argv = ["simulate", "pair", "--a", "1,1,0,0", "--b", "1,0,1,0", "--trials", "200"]
    with subprocess.Popen(
        cli_argv(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # like `| head -0`: the reader is gone before the first write
        err = process.stderr.read().decode()
        assert process.wait(timeout=60) == 141
    assert err == ""


@pytest.mark.parametrize("package", [theory, simulation], ids=lambda p: p.__name__)
def test_every_public_name_of_a_lazy_package_resolves(package):
    for name in package.__all__:
        assert getattr(package, name) is not None
    assert set(package.__all__) <= set(dir(package))


def test_the_lazy_helper_is_one_module_shared_by_both_packages():
    for package in ("theory", "simulation"):
        assert not (REPO / package / "_lazy.py").exists()
        assert "from foundation.lazy import install" in (REPO / package / "__init__.py").read_text()


def test_a_submodule_import_does_not_shadow_the_function_of_the_same_name():
    code = (
        "import theory.derivation, theory\n"
        "assert callable(theory.derivation) and not hasattr(theory.derivation, '__path__')\n"
        "assert theory.derivation('eq1-factorization').name == 'eq1-factorization'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_derivation_registry_is_full_on_first_use():
    code = "import theory; print(len(theory.list_derivations()))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert int(done.stdout) == len(theory.list_derivations()) > 3
