"""The report renders in a real browser: Debian's chromium, headless, takes a screenshot.

Skipped — loudly — only where /usr/bin/chromium is missing (``.ci/run`` installs it with
apt-get and says so when it cannot).
"""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def _screenshot(page: Path, shot: Path, profile: Path, height: int) -> np.ndarray:
    subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}",
         f"--window-size=1200,{height}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return imread(shot)[..., :3]


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="!!! /usr/bin/chromium IS NOT INSTALLED: the report was NOT rendered in a browser "
    "(apt-get install -y chromium; .ci/run does this) !!!",
)
def test_report_renders_with_text_figures_and_formulas(quick_report, tmp_path):
    page = tmp_path / "report.html"
    shutil.copy(quick_report / "report.html", page)  # file:// URL in a clean directory
    image = _screenshot(page, tmp_path / "shot.png", tmp_path / "profile", 9000)
    assert image.shape[:2] == (9000, 1200)
    ink = np.any(image < 0.9, axis=2)  # anything that is not (nearly) white
    assert ink.mean() > 0.03, "the page rendered (nearly) blank"
    # Colour: the verdict badges and the figures use the Okabe-Ito palette.
    saturation = image.max(axis=2) - image.min(axis=2)
    assert (saturation > 0.3).sum() > 5_000, "no coloured badges or figures rendered"
    # The page is long (figures and derivations below the summary): ink all the way down.
    rows_with_ink = np.flatnonzero(ink.any(axis=1))
    assert rows_with_ink.max() > 8_000
