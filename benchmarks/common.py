"""Shared pieces of the benchmark registry: the workload record, its result, timing.

Every ``benchmarks/bench_*.py`` module defines ``WORKLOADS``, a list of
:class:`Workload`; ``benchmarks/run.py`` imports them all, runs each and prints one table.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

NOT_INSTALLED = "not installed"


@dataclass
class Result:
    """What one workload measured.

    Attributes
    ----------
    seconds : float
        neurolab's time (s): median of warm repeats unless the workload says otherwise.
    neuron, brian2 : float or str or None
        The same workload in NEURON / Brian2 (s), a reason it was not run (e.g.
        ``"not installed"``), or None where it does not apply.
    accuracy : str
        How accurate neurolab's run was, as measured (e.g. the largest spike-time error
        against a converged reference).
    notes : list of str
        Anything else measured (the other simulators' settings and accuracy, compile
        times, ...), printed under the table.
    extra : dict
        Raw numbers for the JSON output.
    """

    seconds: float
    neuron: float | str | None = None
    brian2: float | str | None = None
    accuracy: str = ""
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Workload:
    """One row of the table.

    Attributes
    ----------
    name : str
        Short name ("W1", "cold start", ...).
    description : str
        What is run, in one line.
    target : str
        The target, in words (shown in the table).
    run : callable
        ``run(quick: bool) -> Result | float`` (a float is neurolab's seconds).
    met : callable, optional
        ``met(result) -> bool | None``: whether the target is met (None: not decidable).
    """

    name: str
    description: str
    target: str
    run: Callable[[bool], Result | float]
    met: Callable[[Result], bool | None] | None = None


def median_time(func: Callable[[], Any], repeats: int, warmup: int = 1) -> float:
    """Median wall time (s) of ``repeats`` calls of ``func`` after ``warmup`` calls."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def ratio_at_least(factor: float, other: str = "neuron") -> Callable[[Result], bool | None]:
    """Target "neurolab at least ``factor`` x faster than ``other``"."""

    def met(r: Result) -> bool | None:
        t = getattr(r, other)
        if not isinstance(t, float):
            return None
        return t / r.seconds >= factor

    return met


def under(seconds: float) -> Callable[[Result], bool | None]:
    """Target "neurolab's time at most ``seconds``"."""
    return lambda r: r.seconds <= seconds
