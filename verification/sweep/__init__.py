"""Parameter sweeps: one command over a grid of options, resumable, on a laptop or Dask.

==========================  ==========================================================
name                        what it is
==========================  ==========================================================
``load_config``             read and check ``CONFIG.toml`` -> :class:`SweepConfig`
``ConfigError``             one-line ``config: KEY: ...`` error (exit status 2)
``resolve_command``         the named command's module and options -> ``CommandSpec``
``expand_points``           every grid point with its canonical key and derived seed
``validate_points``         parse (and ``validate``) every point before anything runs
``point_seed``/``point_key``  a point's seed and key, from the sweep seed and its options
``ResultStore``             ``DIR/results.jsonl`` (whole rows, fsync) and ``sweep.json``
``read_rows``               the rows of a results file; a torn last line is reported
``run_sweep``               run or resume a sweep in-process or on dask.distributed
``compute_point``           one point: the command's parser and ``run`` (on a worker)
``plot_sweep``              measured vs exact values across the grid -> ``sweep.png``
==========================  ==========================================================

Commands: ``fastweights sweep`` and ``fastweights sweep-plot`` (``verification/commands``).
"""

from .command import CommandSpec, resolve_command
from .config import ConfigError, SweepConfig, load_config, parse_config
from .execute import SweepSummary, compute_point, make_row, run_sweep
from .plot import plot_sweep
from .points import Point, expand_points, point_key, point_seed, validate_points
from .store import ResultStore, read_rows

__all__ = [
    "CommandSpec",
    "ConfigError",
    "Point",
    "ResultStore",
    "SweepConfig",
    "SweepSummary",
    "compute_point",
    "expand_points",
    "load_config",
    "make_row",
    "parse_config",
    "plot_sweep",
    "point_key",
    "point_seed",
    "read_rows",
    "resolve_command",
    "run_sweep",
    "validate_points",
]
