"""Test support: ``python -m sweep_fakes sweep|sweep-plot ARGS``.

The same as ``fastweights sweep|sweep-plot ARGS``, with the fake commands of
:mod:`sweep_fakes` available to the config (used by the tests that
kill a sweep's process).
"""

from __future__ import annotations

import argparse
import json
import sys

from verification.commands import sweep, sweep_plot
from verification.errors import USER_ERRORS

from . import with_fake_commands


def main(argv: list[str]) -> int:
    modules = {"sweep": sweep, "sweep-plot": sweep_plot}
    if not argv or argv[0] not in modules:
        print("usage: python -m sweep_fakes sweep|sweep-plot ...", file=sys.stderr)
        return 2
    module = modules[argv[0]]
    parser = argparse.ArgumentParser(prog=f"fastweights-testing {argv[0]}")
    module.add_arguments(parser)
    options = parser.parse_args(argv[1:])
    try:
        result = module.run(options, command_modules=with_fake_commands())
    except USER_ERRORS as exc:
        print(f"fastweights: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("fastweights: interrupted", file=sys.stderr)
        return 130
    print(json.dumps(result) if options.json else module.render(result))
    status = getattr(module, "exit_status", None)
    return int(status(result)) if status is not None else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
