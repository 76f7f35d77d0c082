"""Where theory and simulation meet: the command line, the claims registry, the report.

Only this package imports both ``theory`` and ``simulation``.

=========================  ====================================================
``verification.cli.main``  the ``fastweights`` command
``verification.commands``  one module per subcommand (discovered by the CLI)
``verification.claims``    the registry of the paper's claims, evaluated with a seed
``verification.verdict``   the verdict rules: a pure function of numbers
``verification.report``    the report: Markdown, self-contained HTML, JSON, figures
=========================  ====================================================
"""

__all__: list[str] = []
