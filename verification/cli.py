"""The ``fastweights`` command: builds its parser from the modules in ``verification.commands``.

Bad input is one line on stderr (``fastweights: error: ...``) and exit status 2,
never a traceback. Output cut short by a closed pipe (``fastweights ... | head``) ends the
run quietly with status 141, as a process killed by SIGPIPE would; SIGTERM runs the same
clean-up as Ctrl-C (workers stopped, temporary files removed), then exits with 143.

Start-up is cheap: each command module's ``PATH`` and ``HELP`` are read from its source
(``ast``, nothing imported), and only the module of the command being run is imported.
``fastweights --help`` imports no numpy, ``simulate ...`` no sympy (see
``tests/faults/test_startup.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from types import FrameType, ModuleType
from typing import Any, NoReturn

from .command_registry import PROG, CommandInfo, command_infos, version

__all__ = ["build_parser", "main"]

EXIT_SIGPIPE = 128 + 13
EXIT_SIGTERM = 128 + 15


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


class _VersionAction(argparse.Action):
    """``--version``: the installed distribution's version (looked up only when asked)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        sys.stdout.write(f"{PROG} {version()}\n")
        parser.exit(0)


def _selected(argv: Sequence[str] | None, infos: Sequence[CommandInfo]) -> set[tuple[str, ...]]:
    """The commands whose options the parser needs: all (``argv`` None) or the one argv names."""
    if argv is None:
        return {info.path for info in infos}
    return {info.path for info in infos if tuple(argv[: len(info.path)]) == info.path}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; each leaf's defaults carry ``_module``.

    With ``argv``, only the command it names is imported and given its options (the
    other leaves are listed with their help line, enough for ``--help`` and for
    argparse's one-line error on a misspelt command).
    """
    from .engine.paper import default_paper

    citation = default_paper().citation
    parser = _Parser(prog=PROG, description=f"Machine-check {citation} against simulation.")
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    groups: dict[tuple[str, ...], argparse._SubParsersAction[_Parser]] = {}
    groups[()] = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    groups[()].required = True
    infos = command_infos()
    selected = _selected(argv, infos)
    wants_help = argv is None or any(word in ("-h", "--help") for word in argv)
    for info in infos:
        path = info.path
        for depth in range(1, len(path)):
            prefix = path[:depth]
            if prefix not in groups:
                group_parser = groups[path[: depth - 1]].add_parser(
                    prefix[-1], help=f"{prefix[-1]} subcommands"
                )
                groups[prefix] = group_parser.add_subparsers(
                    dest="_".join(prefix), metavar="SUBCOMMAND", parser_class=_Parser
                )
                groups[prefix].required = True
        # argparse %-formats help strings: a literal "95%" must reach it as "95%%". They
        # are read (from the modules' sources) only when help may be shown.
        text = info.help if wants_help else None
        leaf = groups[path[:-1]].add_parser(
            path[-1], help=text and text.replace("%", "%%"), description=text
        )
        if path in selected:
            module = info.load()
            module.add_arguments(leaf)
            leaf.set_defaults(_module=module)
    return parser


def _check_resources(module: ModuleType, options: argparse.Namespace) -> None:
    """Check the arguments (``validate``) and the memory and time they imply (``estimate``).

    Both hooks are optional; ``estimate`` runs only on arguments ``validate`` accepted
    (see :mod:`verification.resources`). A request within the limits but estimated to
    take more than :data:`~verification.resources.NOTICE_SECONDS` says so on stderr
    before it starts (one line; not with ``--quiet``).
    """
    estimate = getattr(module, "estimate", None)
    if estimate is None:
        return
    validate = getattr(module, "validate", None)
    if validate is not None:
        validate(options)
    from .resources import check_needs, long_run_notice

    needs = list(estimate(options))
    check_needs(needs)
    notice = long_run_notice(needs)
    if notice is not None and not getattr(options, "quiet", False):
        print(f"{PROG}: {notice}", file=sys.stderr, flush=True)


def _as_typed(
    message: str, name: str | None, parser: argparse.ArgumentParser, args: Sequence[str]
) -> str:
    """``noise_sd: expected ...`` -> ``--noise-sd: expected ...``: the option as the user typed it.

    An error names the parameter of the function that raised it; when that is an option
    of the command being run, the message names the option instead — as typed, so an
    abbreviation (``--noise``) is named as written.
    """
    if not name or not message.startswith(f"{name}:"):
        return message
    flag = _option_as_typed(_leaf(parser, args), name, args)
    return message if flag is None else flag + message[len(name) :]


def _leaf(parser: argparse.ArgumentParser, args: Sequence[str]) -> argparse.ArgumentParser:
    """The subparser of the command ``args`` names (``parser`` itself if none)."""
    current = parser
    for word in args:
        choices = [
            action.choices
            for action in current._actions
            if isinstance(action, argparse._SubParsersAction)
        ]
        if not choices or word not in choices[0]:
            break
        current = choices[0][word]
    return current


def _option_as_typed(leaf: argparse.ArgumentParser, name: str, args: Sequence[str]) -> str | None:
    for action in leaf._actions:
        flags = action.option_strings
        if not flags or name not in {action.dest, *(f.lstrip("-") for f in flags)}:
            continue
        for token in args:
            typed = token.split("=", 1)[0]
            if typed in flags or (
                typed.startswith("--")
                and len(typed) > 2
                and any(f.startswith(typed) for f in flags)
            ):
                return typed
        return max(flags, key=len)
    return None


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


class _Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C so every ``finally`` and context manager runs."""


@contextlib.contextmanager
def _signals() -> Iterator[None]:
    """SIGTERM unwinds the stack (clean-up runs) for the duration of one command."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the exit-time flush cannot fail."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


class _StdoutFailed(Exception):
    """Writing the result to stdout failed (a full disk, a closed descriptor)."""


_ASCII_SPELLINGS = str.maketrans(
    {
        **dict.fromkeys("θΘ", "theta"),
        "ρ": "rho",
        "±": "+/-",
        "ε": "eps",
        "σ": "sigma",
        "λ": "lambda",
        "α": "alpha",
        "μ": "mu",
        "η": "eta",
        "Σ": "Sum",
        "Δ": "Delta",
        "²": "^2",
        "³": "^3",
        "≤": "<=",
        "≥": ">=",
        "≈": "~",
        "≠": "!=",
        "—": "--",
        "–": "-",
        "−": "-",
        "×": "x",
        "·": "*",
        "√": "sqrt",
        "∞": "inf",
        "→": "->",
        "⟨": "<",
        "⟩": ">",
        "…": "...",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
    }
)
"""ASCII spellings of the symbols the toolkit prints, for a stdout that cannot encode them."""


def _prepare_stdout() -> None:
    """A stdout whose encoding lacks θ, ±, ... (``PYTHONIOENCODING=ascii``, a C locale)
    writes what it cannot encode as ``\\u03b8`` instead of failing (the result itself is
    first spelt in ASCII: :data:`_ASCII_SPELLINGS`)."""
    stream = sys.stdout
    if stream is None or _encodable(stream, "θρ±—"):
        return
    with contextlib.suppress(AttributeError, ValueError, OSError):
        stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _encodable(stream: Any, text: str) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _write_result(text: str) -> None:
    """The result on stdout, ASCII-spelt if stdout cannot encode it; an OSError while
    writing or flushing (``>/dev/full``) is :class:`_StdoutFailed`."""
    stream = sys.stdout
    if not _encodable(stream, text):
        text = text.translate(_ASCII_SPELLINGS)
    try:
        stream.write(text + "\n")
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _StdoutFailed(exc.strerror or str(exc)) from None


def _flush_stdout() -> None:
    """Flush stdout now, so that a failure is :class:`_StdoutFailed`, not a message at exit."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _StdoutFailed(exc.strerror or str(exc)) from None


def _matplotlib_config() -> None:
    """Point ``MPLCONFIGDIR`` at a fresh temporary folder (removed at exit) when
    Matplotlib's own config or cache folder cannot be written (``HOME`` unwritable or
    missing): else Matplotlib prints a paragraph about it on stderr. Nothing is imported."""
    if os.environ.get("MPLCONFIGDIR"):
        return
    home = os.path.expanduser("~")
    folders = (
        os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config"),
        os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache"),
    )
    if all(_can_create(os.path.join(folder, "matplotlib")) for folder in folders):
        return
    import atexit
    import shutil
    import tempfile

    directory = tempfile.mkdtemp(prefix="fastweights-matplotlib-")
    os.environ["MPLCONFIGDIR"] = directory
    atexit.register(shutil.rmtree, directory, True)


def _can_create(path: str) -> bool:
    """``path`` is a writable folder, or its nearest existing ancestor is one (tried by
    making and removing an empty folder in it: ``os.access`` says yes to root even in
    ``/proc``)."""
    current = os.path.abspath(path)
    while not os.path.exists(current):
        parent = os.path.dirname(current)
        if parent == current:
            return False
        current = parent
    if not os.path.isdir(current):
        return False
    if current == os.path.abspath(path):
        return os.access(current, os.W_OK | os.X_OK)
    import tempfile

    try:
        os.rmdir(tempfile.mkdtemp(prefix=".fastweights-probe-", dir=current))
    except OSError:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fastweights`` console script; returns the exit status."""
    from foundation.blas import pin_kernels

    pin_kernels()  # before numpy is imported: the same numbers on every Linux AVX2 machine
    _matplotlib_config()
    _prepare_stdout()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with _signals():
            return _main(args)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_SIGPIPE
    except _StdoutFailed as exc:
        _silence_stdout()
        print(f"{PROG}: error: stdout: could not write the result ({exc})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except _Terminated:
        print(f"{PROG}: terminated", file=sys.stderr)
        return EXIT_SIGTERM


def _main(args: list[str]) -> int:
    parser = build_parser(args)
    try:
        options = parser.parse_args(args)
    except SystemExit as done:  # --help, --version, a usage error: flushed here, not at exit
        _flush_stdout()
        raise done from None
    except BrokenPipeError:
        raise
    except OSError as exc:  # only --version writes (argparse's help ignores write errors)
        raise _StdoutFailed(exc.strerror or str(exc)) from None
    module = options._module
    if sys.stdout is None:  # started with stdout closed (``>&-``): refused before any work
        print(
            f"{PROG}: error: stdout: expected an open standard output for the result "
            "(>/dev/null discards it), got a closed one",
            file=sys.stderr,
        )
        return 2
    try:
        _check_resources(module, options)
        from . import allocator

        allocator.tune()
        result = module.run(options)
    except MemoryError:
        from .resources import format_bytes, memory_limit

        limit = memory_limit()
        room = f" (about {format_bytes(limit)} available)" if limit is not None else ""
        print(f"{PROG}: error: out of memory{room}: ask for less", file=sys.stderr)
        return 2
    except Exception as exc:
        from .errors import USER_ERRORS

        if not isinstance(exc, USER_ERRORS):
            raise
        message = _as_typed(str(exc), getattr(exc, "name", None), parser, args)
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return 2
    if getattr(options, "json", False) is True:
        import json

        text = json.dumps(result, allow_nan=False)
    else:
        text = module.render(result)
    _write_result(text)
    status = getattr(module, "exit_status", None)
    return int(status(result)) if status is not None else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
