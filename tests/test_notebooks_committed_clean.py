"""The course notebooks are committed as the project promises.

Without outputs, except the short text of ``# NBVAL_CHECK_OUTPUT`` cells (which nbval
compares), all fifteen in the order of DESIGN.md (plus 14, your own model), each opening
with what the reader will learn.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

_spec = importlib.util.spec_from_file_location("update_notebooks",
                                               ROOT / "scripts" / "update_notebooks.py")
update_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update_notebooks)


def test_fifteen_notebooks_numbered_in_order() -> None:
    """00 ... 13 (DESIGN.md, "Notebooks") and 14, your own model; one each."""
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(15)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_stray_outputs_and_checked_numbers_present(path: Path) -> None:
    """Only checked cells carry (text) outputs, and every notebook has at least one."""
    nb = nbformat.read(path, as_version=4)
    assert update_notebooks.bad_outputs(nb) == []
    checked = [c for c in nb.cells
               if c.cell_type == "code" and update_notebooks.MARK in c.source]
    assert checked, "no # NBVAL_CHECK_OUTPUT cell"
    assert all(c.outputs and c.execution_count for c in checked), \
        "a checked cell has no committed output (run scripts/update_notebooks.py)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_opens_with_what_you_will_learn(path: Path) -> None:
    """Each notebook starts by telling the reader what they will learn."""
    nb = nbformat.read(path, as_version=4)
    first = "\n".join(c.source for c in nb.cells[:2] if c.cell_type == "markdown")
    assert "learn" in first.lower()
