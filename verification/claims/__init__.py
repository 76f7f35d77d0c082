"""The claims of Hinton & Plaut (1987), one module per claim family, and nothing else.

One module per claim family: ``pair`` (Eq. 1-3, footnote 2), ``ensembles`` (the .943,
4p²n, 1/n, dimension independence), ``geometry`` (Sec. 4.1, 5.3), ``deblur`` (Sec. 4),
``sec6_slow`` and ``sec6_prediction`` (Sec. 6), ``transfer_chain`` (Sec. 4.1/5 vs Sec. 4);
the paper (``verification.papers.hinton_plaut_1987``) lists them and the claims' order.
Each registers its ``ClaimSpec`` s with the engine (``verification.engine``: the claim
model, the registry and the runner, ``evaluate_claims``); computations several claims share
are named inputs (``verification.shared``).
"""

__all__: list[str] = []
