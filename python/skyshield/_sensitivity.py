"""Sensitivity analysis of any model: Morris screening and Sobol indices.

The designs live in the unit cube ``[0, 1]^k``: coordinate ``i`` is the position of input ``i``
within its range, which the caller maps to a value (``low + u * (high - low)`` for a uniform
range). The estimators are those of SALib's ``morris.analyze`` and ``sobol.analyze`` (with
``calc_second_order=False``): on the same points and outputs, the point estimates are equal.
Methods and references: ``docs/sensitivity.md``.

Example::

    import skyshield

    points = skyshield.sobol_sample(3, base_samples=1024, seed=1)
    outputs = [model(p) for p in points]
    indices = skyshield.sobol_analyse(3, outputs)
    print(indices["S1"], indices["ST"])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from . import _native


def _rows(points: Iterable[Iterable[float]]) -> list[list[float]]:
    return [[float(v) for v in row] for row in points]


def _values(outputs: Iterable[float]) -> list[float]:
    return [float(v) for v in outputs]


def morris_sample(
    inputs: int, trajectories: int = 10, levels: int = 4, seed: int = 1
) -> list[list[float]]:
    """The ``trajectories * (inputs + 1)`` points of Morris trajectories (Morris 1991) on a grid
    of ``levels`` levels (even) in the unit cube, trajectory after trajectory; the same seed
    gives the same points."""
    return _native.morris_sample_unit(inputs, trajectories, levels, seed)


def morris_analyse(
    points: Iterable[Iterable[float]],
    outputs: Iterable[float],
    levels: int = 4,
    seed: int = 1,
) -> dict[str, list[float]]:
    """The Morris measures per input from the points of :func:`morris_sample` and the model's
    output at each: ``mu`` (mean elementary effect), ``mu_star`` (mean absolute effect, the
    importance measure of Campolongo et al. 2007), ``sigma`` (their standard deviation) and
    ``mu_star_conf`` (half-width of a 95 % bootstrap interval of ``mu_star``, seeded by
    ``seed``). Raises ``ValueError`` when the points do not follow the design."""
    return _native.morris_analyse_unit(_rows(points), _values(outputs), levels, seed)


def sobol_sample(inputs: int, base_samples: int = 64, seed: int = 1) -> list[list[float]]:
    """The ``base_samples * (inputs + 2)`` points of a Saltelli design on a scrambled Sobol
    sequence in the unit cube, in the order ``A, AB_1, .., AB_k, B`` per base point (SALib's
    order without second-order indices)."""
    return _native.sobol_sample_unit(inputs, base_samples, seed)


def sobol_analyse(
    inputs: int,
    outputs: Sequence[float],
    resamples: int = 500,
    confidence: float = 0.95,
    seed: int = 1,
) -> dict[str, list[Any]]:
    """Sobol indices per input from the model's outputs at the points of :func:`sobol_sample`:
    ``S1`` (first order, Saltelli et al. 2010), ``ST`` (total, Jansen 1999), and their bootstrap
    percentile intervals ``S1_ci`` and ``ST_ci`` (``[low, high]`` at ``confidence``)."""
    return _native.sobol_analyse_unit(inputs, _values(outputs), resamples, confidence, seed)
