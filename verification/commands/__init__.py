"""One module per ``fastweights`` subcommand; the CLI discovers them.

A command module defines:

- ``PATH``: the words that invoke it, e.g. ``("theory", "pair")``;
- ``HELP``: one line for ``--help``;
- ``add_arguments(parser)``: its options (use :func:`verification.commands._common.add_json_option`
  for ``--json``);
- ``run(options) -> dict``: does the work and returns a JSON-able dict (no NaN);
  bad input raises a ``ParameterError``/``UsageError`` (one line, exit 2);
- ``render(result) -> str``: the human-readable text printed without ``--json``;
- optionally ``exit_status(result) -> int`` (default 0);
- optionally ``validate(options)``: every check ``run`` makes, computing nothing;
- optionally ``estimate(options) -> list[Need]``: the memory and time the options imply
  (:mod:`verification.resources`); the CLI and a sweep refuse, before ``run``, what
  would not fit in memory or finish in a day. A command without it is still stopped by
  an out-of-memory error turned into one line.

``PATH`` and ``HELP`` are read from the module's source without importing it (literals
please), so ``fastweights --help`` stays fast; import heavy libraries inside ``run``.

``run`` is what ``fastweights sweep`` calls for each grid point, so a command's
JSON is the same whether it comes from the shell or from a sweep.
"""

__all__: list[str] = []
