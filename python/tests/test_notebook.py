"""The example notebook runs top to bottom and writes its plot."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from conftest import REPO
from nbclient import NotebookClient

NOTEBOOK = REPO / "python" / "examples" / "defense-sweep.ipynb"


def test_the_notebook_runs_and_writes_its_plot(tmp_path: Path) -> None:
    os.environ["SKYSHIELD_SCENARIOS"] = str(REPO / "scenarios")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()  # fmt: skip
    plot = tmp_path / "defense-sweep.png"
    assert plot.is_file()
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
