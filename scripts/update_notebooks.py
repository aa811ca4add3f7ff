"""Run notebooks on a fresh kernel and keep only the outputs nbval compares.

Usage::

    python scripts/update_notebooks.py [notebooks/NN_name.ipynb ...]

Each notebook is executed top to bottom in ``notebooks/`` with a fresh kernel. Then every
output is removed except the text output of cells marked ``# NBVAL_CHECK_OUTPUT`` (short,
rounded numbers that ``pytest --nbval-lax`` compares, so a wrong number fails the suite).
Execution counts and widget state are cleared, so the committed file only changes when
its text or its checked numbers do. With ``--check`` nothing is executed; the script
fails if a notebook carries outputs it should not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
MARK = "NBVAL_CHECK_OUTPUT"


def _kept(output: dict) -> dict | None:
    if output.get("output_type") == "stream" and output.get("name") == "stdout":
        return output
    if output.get("output_type") in ("execute_result", "display_data"):
        data = output.get("data", {})
        if "text/plain" in data and set(data) <= {"text/plain"}:
            out = dict(output)
            out["metadata"] = {}
            if out.get("output_type") == "execute_result":
                out["execution_count"] = None
            return out
    return None


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip outputs except the text of checked cells; clear counts and widget state."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.execution_count = None
        cell.metadata.pop("execution", None)
        if MARK in cell.source:
            cell.outputs = [o for o in (_kept(o) for o in cell.outputs) if o is not None]
        else:
            cell.outputs = []
        if cell.outputs:
            # nbval treats a cell without an execution count as never run and refuses
            # to compare its outputs, so the checked cells keep a (renumbered) count.
            count += 1
            cell.execution_count = count
    nb.metadata.pop("widgets", None)
    return nb


def bad_outputs(nb: nbformat.NotebookNode) -> list[int]:
    """Indices of code cells carrying outputs that should not be committed."""
    bad = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.outputs:
            continue
        if MARK not in cell.source or any(_kept(o) is None for o in cell.outputs):
            bad.append(i)
    return bad


def run(path: Path, timeout: int = 600) -> None:
    """Execute one notebook in its folder and write it back cleaned."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(clean(nb), path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true",
                        help="only check that committed notebooks carry no stray outputs")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    status = 0
    for p in paths:
        if args.check:
            bad = bad_outputs(nbformat.read(p, as_version=4))
            if bad:
                print(f"{p}: outputs in cells {bad} (run scripts/update_notebooks.py)")
                status = 1
        else:
            print(f"running {p.name} ...", flush=True)
            run(p)
    return status


if __name__ == "__main__":
    sys.exit(main())
