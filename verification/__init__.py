"""Where theory and simulation meet: the command line, the claims registry, the report.

Only this package imports both ``theory`` and ``simulation``.

=========================  ====================================================
``verification.cli.main``  the ``fastweights`` command
``verification.commands``  one module per subcommand (discovered by the CLI)
=========================  ====================================================
"""

__all__: list[str] = []
