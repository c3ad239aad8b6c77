"""Break points of a defense: ``skyshield breakpoint`` from Python."""

from __future__ import annotations

import json
from typing import Any

from . import _native
from ._scenario import Scenario


def breakpoint(
    scenario: Scenario,
    *,
    exhausts: str | None = None,
    group: str | None = None,
    rounds: str | None = None,
    batteries: str | None = None,
    asset: str | None = None,
    probability: float | None = None,
    runs: int = 500,
    seed: int | None = None,
    threads: int | None = None,
    nominal: bool = False,
    max_level: int | None = None,
) -> dict[str, Any]:
    """The smallest raid that empties a layer (``exhausts=LAYER``, growing only ``group`` when
    given), or the fewest ready rounds of a battery (``rounds=BATTERY``) or batteries like one
    (``batteries=BATTERY``) for no threat to land in ``asset`` (without it: no leaker), as
    ``skyshield breakpoint`` finds it (``docs/breakpoints.md``).

    ``probability`` is the target (default 0.5 for ``exhausts``, 0.9 otherwise); every level
    plays ``runs`` runs under ``seed`` (default: the scenario's), with common random numbers.
    Gives the JSON of ``skyshield breakpoint --format json`` as a dict: ``level`` (``None``
    when not reached up to ``max_level``), ``level_ci95`` and every level played in
    ``levels``. Raises ``ValueError`` for a question that does not fit the scenario (an unknown
    id, with the ids it has); Ctrl-C cancels it and raises ``KeyboardInterrupt``.
    """
    asked = [(q, i) for q, i in (("exhaustion", exhausts), ("rounds", rounds),
                                 ("batteries", batteries)) if i is not None]  # fmt: skip
    if len(asked) != 1:
        raise ValueError("give one of exhausts=, rounds= and batteries=")
    if group is not None and exhausts is None:
        raise ValueError("group= goes with exhausts=")
    if asset is not None and exhausts is not None:
        raise ValueError("asset= goes with rounds= or batteries=")
    question, ident = asked[0]
    return json.loads(
        _native.breakpoint_json(
            scenario._native,
            question,
            ident,
            group=group,
            asset=asset,
            probability=probability,
            runs=runs,
            seed=seed,
            threads=threads,
            nominal=nominal,
            max_level=max_level,
        )
    )
