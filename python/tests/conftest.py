"""Shared paths of the Python tests: the repository, its library scenarios, the CLI binary."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
#: A small library scenario: 8 threats, 3 batteries (hundreds of runs take milliseconds).
SMALL = SCENARIOS / "iskander-patriot-thaad.yaml"


@pytest.fixture(scope="session")
def cli() -> Path:
    """The release binary of the command line (``SKYSHIELD_BIN``, or target/release)."""
    path = Path(os.environ.get("SKYSHIELD_BIN", REPO / "target" / "release" / "skyshield"))
    if not path.is_file():
        pytest.fail(f"{path} is missing: build it with `cargo build --release -p skyshield`")
    return path
