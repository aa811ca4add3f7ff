"""Run every benchmark workload and print one table.

Usage::

    python benchmarks/run.py              # full repeats
    python benchmarks/run.py --quick      # fewer repeats
    python benchmarks/run.py --json out.json
    python benchmarks/run.py --only W1 W3

Each ``benchmarks/bench_*.py`` module defines ``WORKLOADS`` (a list of
``common.Workload``); this script imports them all, so another area adds rows by adding
a module.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import math
import os
import platform
import sys
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import Result, Workload  # noqa: E402


def load_workloads() -> list[Workload]:
    """Every ``WORKLOADS`` entry of every ``bench_*.py`` module, in file-name order."""
    out: list[Workload] = []
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(path.stem)
        out.extend(getattr(module, "WORKLOADS", []))
    return out


def _time(x: Any) -> str:
    if isinstance(x, float):
        return f"{x * 1e3:.1f} ms" if x < 1.0 else f"{x:.2f} s"
    return "-" if x is None else str(x)


def _ratio(other: Any, mine: float) -> str:
    if isinstance(other, float) and mine > 0:
        return f"{other / mine:.1f}x"
    return "-"


def table(rows: list[tuple[Workload, Result | None, bool | None, str]]) -> str:
    """The results as a Markdown table, then the notes."""
    head = ["workload", "neurolab", "target", "met?", "NEURON", "Brian2", "NEURON/neurolab",
            "Brian2/neurolab", "accuracy"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    notes = []
    for w, r, met, err in rows:
        if r is None:
            lines.append(f"| {w.name} | failed | {w.target} | - | - | - | - | - | {err} |")
            continue
        flag = "yes" if met else ("no" if met is False else "?")
        lines.append(" | ".join([
            f"| {w.name}", _time(r.seconds), w.target, flag, _time(r.neuron),
            _time(r.brian2), _ratio(r.neuron, r.seconds), _ratio(r.brian2, r.seconds),
            f"{r.accuracy} |"]))
        notes += r.notes
    return "\n".join(lines + [""] + [f"- {n}" for n in notes])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--json", metavar="PATH", help="also save the results as JSON")
    ap.add_argument("--only", nargs="*", metavar="NAME", help="run only these workloads")
    args = ap.parse_args(argv)

    workloads = load_workloads()
    if args.only:
        workloads = [w for w in workloads if w.name in args.only]
    rows = []
    for w in workloads:
        print(f"running {w.name}: {w.description} ...", file=sys.stderr, flush=True)
        try:
            r = w.run(args.quick)
            if not isinstance(r, Result):
                r = Result(float(r))
            met = w.met(r) if w.met else None
            rows.append((w, r, met, ""))
        except Exception as exc:  # noqa: BLE001 - one failing row must not stop the rest
            traceback.print_exc()
            rows.append((w, None, None, f"{type(exc).__name__}: {exc}"))

    load = os.getloadavg() if hasattr(os, "getloadavg") else (math.nan,) * 3
    stamp = datetime.datetime.now().isoformat(timespec="minutes")
    header = (f"{stamp}, {platform.processor() or platform.machine()}, {os.cpu_count()} "
              f"cores, load average {load[0]:.1f}, Python {platform.python_version()}"
              f"{', quick' if args.quick else ''}")
    print(header)
    print()
    print(table(rows))
    if args.json:
        data = {"when": stamp, "load_average": load, "quick": args.quick, "rows": [
            {"name": w.name, "description": w.description, "target": w.target,
             "met": met, "error": err,
             **({} if r is None else {"seconds": r.seconds, "neuron": r.neuron,
                                      "brian2": r.brian2, "accuracy": r.accuracy,
                                      "notes": r.notes, "extra": r.extra})}
            for w, r, met, err in rows]}
        Path(args.json).write_text(json.dumps(data, indent=1, default=float))
    return 0 if all(r is not None for _, r, _, _ in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
