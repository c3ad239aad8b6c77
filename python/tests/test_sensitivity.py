"""Morris and Sobol analyses against SALib (pinned in requirements-test.txt), an independent
implementation of the same designs and estimators: on our points and the same model outputs,
SALib's point estimates must equal ours to rounding, and its bootstrap intervals must be of the
same size."""

from __future__ import annotations

import math

import numpy as np
import pytest
from SALib.analyze import morris as salib_morris
from SALib.analyze import sobol as salib_sobol
from SALib.sample import sobol as salib_sobol_sample

import skyshield

#: Relative tolerance of equal estimates computed in another order (floating-point rounding).
ROUNDING = 1e-9


def ishigami(x: np.ndarray) -> np.ndarray:
    """The Ishigami function (a = 7, b = 0.1) of unit coordinates mapped to [-pi, pi]^3."""
    x = -math.pi + 2 * math.pi * np.asarray(x)
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def unit_problem(k: int) -> dict:
    return {"num_vars": k, "names": [f"x{i}" for i in range(k)], "bounds": [[0.0, 1.0]] * k}


def test_morris_measures_equal_salib_on_the_same_trajectories():
    points = np.array(skyshield.morris_sample(4, trajectories=30, levels=6, seed=3))
    assert points.shape == (30 * 5, 4)
    y = 3 * points[:, 0] + points[:, 1] ** 2 + 2 * points[:, 1] * points[:, 2] + 0 * points[:, 3]
    ours = skyshield.morris_analyse(points, y, levels=6)
    theirs = salib_morris.analyze(unit_problem(4), points, y, num_levels=6, seed=1)
    for key in ("mu", "mu_star", "sigma"):
        np.testing.assert_allclose(ours[key], theirs[key], rtol=ROUNDING, atol=1e-12)
    assert int(np.argmax(ours["mu_star"])) == 0
    # Two bootstraps of 1000 resamples: their standard deviations agree within a few percent.
    np.testing.assert_allclose(ours["mu_star_conf"][:3], theirs["mu_star_conf"][:3], rtol=0.15)


def test_sobol_indices_equal_salib_on_the_same_outputs():
    points = np.array(skyshield.sobol_sample(3, base_samples=1024, seed=2))
    assert points.shape == (1024 * 5, 3)
    y = ishigami(points)
    ours = skyshield.sobol_analyse(3, y, resamples=200, seed=1)
    theirs = salib_sobol.analyze(
        unit_problem(3), y, calc_second_order=False, num_resamples=200, seed=1
    )
    np.testing.assert_allclose(ours["S1"], theirs["S1"], rtol=ROUNDING, atol=1e-12)
    np.testing.assert_allclose(ours["ST"], theirs["ST"], rtol=ROUNDING, atol=1e-12)
    # Our percentile interval against SALib's normal half-width: same size within a third.
    for ci, conf in ((ours["S1_ci"], theirs["S1_conf"]), (ours["ST_ci"], theirs["ST_conf"])):
        half = (np.array(ci)[:, 1] - np.array(ci)[:, 0]) / 2
        np.testing.assert_allclose(half, conf, rtol=0.35)


def test_sobol_indices_agree_with_salib_on_its_own_design():
    """Two different scrambled Sobol designs of 4096 base points: the indices of the Ishigami
    function agree within 0.03 (their standard errors are below 0.01)."""
    ours = skyshield.sobol_analyse(
        3, ishigami(np.array(skyshield.sobol_sample(3, base_samples=4096))), resamples=50
    )
    x = salib_sobol_sample.sample(unit_problem(3), 4096, calc_second_order=False, seed=4)
    theirs = salib_sobol.analyze(unit_problem(3), ishigami(x), calc_second_order=False, seed=1)
    np.testing.assert_allclose(ours["S1"], theirs["S1"], atol=0.03)
    np.testing.assert_allclose(ours["ST"], theirs["ST"], atol=0.03)


def test_designs_off_their_shape_are_refused():
    points = skyshield.morris_sample(2, trajectories=3)
    with pytest.raises(ValueError, match="outputs"):
        skyshield.morris_analyse(points, [0.0] * (len(points) - 1))
    with pytest.raises(ValueError, match="inputs"):
        skyshield.sobol_sample(0)
    with pytest.raises(ValueError, match="levels"):
        skyshield.morris_sample(2, levels=3)
