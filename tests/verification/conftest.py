"""A report built once per test session (``fastweights report --quick``), shared by the
report tests: building it is the slow part (about 20-30 s on 2 cores)."""

from pathlib import Path

import pytest

from verification.cli import main


@pytest.fixture(scope="session")
def report_seed() -> int:
    return 4242


@pytest.fixture(scope="session")
def quick_report(tmp_path_factory: pytest.TempPathFactory, report_seed: int) -> Path:
    out = tmp_path_factory.mktemp("report")
    assert (
        main(["report", "--out", str(out), "--quick", "--quiet", "--seed", str(report_seed)]) == 0
    )
    return out
