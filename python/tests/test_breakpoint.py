"""Break points from Python against the command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import SCENARIOS

import skyshield

PATRIOT = SCENARIOS / "iskander-patriot.yaml"


def test_the_same_answer_as_the_command_line(cli: Path) -> None:
    args = ["--exhausts", "pac-3-mse", "--runs", "100", "--seed", "3"]
    done = subprocess.run(
        [str(cli), "breakpoint", str(PATRIOT), *args, "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
    )
    got = skyshield.breakpoint(skyshield.load(PATRIOT), exhausts="pac-3-mse", runs=100, seed=3)
    assert got == json.loads(done.stdout)
    assert got["level"] is not None
    low, high = got["level_ci95"]
    assert low <= got["level"] <= high


def test_rounds_for_an_asset_reach_the_target_where_the_level_below_does_not() -> None:
    got = skyshield.breakpoint(
        skyshield.load(PATRIOT), rounds="patriot-1", asset="airbase", probability=0.6, runs=200
    )
    levels = {level["level"]: level["probability"] for level in got["levels"]}
    assert levels[got["level"]] >= 0.6
    assert levels[got["level"] - 1] < 0.6


def test_questions_that_do_not_fit_are_value_errors() -> None:
    s = skyshield.load(PATRIOT)
    with pytest.raises(ValueError, match="did you mean `pac-3-mse`"):
        skyshield.breakpoint(s, exhausts="pac3-mse")
    with pytest.raises(ValueError, match="one of exhausts=, rounds= and batteries="):
        skyshield.breakpoint(s, exhausts="pac-3-mse", rounds="patriot-1")
    with pytest.raises(ValueError, match="not in"):
        skyshield.breakpoint(s, rounds="patriot-1", probability=1.5)
