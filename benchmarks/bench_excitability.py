"""Excitability workloads (issue "Analysis", item 3): the F-I curve of Hodgkin-Huxley
(50 currents x 500 ms in one parallel batch, only spike times kept; target <= 0.3 s
warm), and the other batched experiments a notebook page runs (rheobase, class,
three-pulse scan, refractory curve), reported without a target.

Accuracy is measured: the LIF F-I curve from the same code against its closed form
(``LIF.rate``), and the HH rate at 10 uA/cm2 against a run at a ten times smaller step.
"""

from __future__ import annotations

import numpy as np
from common import Result, Workload, median_time, under

from neurolab.analysis.excitability import (
    excitability_class,
    fi_curve,
    refractory_response,
    rheobase,
    three_pulse_experiment,
)
from neurolab.models import LIF, HodgkinHuxley, INaPK

HH = HodgkinHuxley()
CURRENTS = np.linspace(0.0, 30.0, 50)


def _fi(quick: bool) -> Result:
    fi_curve(HH, CURRENTS, 500.0)  # compile / load the cache
    t = median_time(lambda: fi_curve(HH, CURRENTS, 500.0), 3 if quick else 7)
    ref = fi_curve(HH, [10.0], 500.0, dt=0.005)[0]
    got = fi_curve(HH, [10.0], 500.0)[0]
    m = LIF()
    I = np.linspace(1.6, 5.0, 20)
    lif_err = float(np.max(np.abs(fi_curve(m, I, 1000.0) - m.rate(I)) / m.rate(I)))
    return Result(t, accuracy=f"HH rate at 10 uA/cm2 {got:.3f} Hz vs {ref:.3f} Hz at dt/10;"
                  f" LIF vs closed form max rel. error {lif_err:.1e}")


def _analyses(quick: bool) -> Result:
    notes, extra = [], {}
    for name, func in [
        ("rheobase HH (0-20, tol 0.01, 500 ms)",
         lambda: rheobase(HH, (0.0, 20.0), duration=500.0, tol=0.01)),
        ("excitability_class HH (0-20, 500 ms)",
         lambda: excitability_class(HH, (0.0, 20.0), duration=500.0)),
        ("excitability_class INaPK (0-10, 500 ms, dt 0.05)",
         lambda: excitability_class(INaPK(), (0.0, 10.0), duration=500.0, dt=0.05)),
        ("three_pulse_experiment HH", lambda: three_pulse_experiment(HH)),
        ("refractory_response HH (13 delays)",
         lambda: refractory_response(HH, np.arange(1.0, 40.0, 3.0))),
    ]:
        s = median_time(func, 1 if quick else 3)
        notes.append(f"{name}: {s:.3f} s")
        extra[name] = s
    return Result(sum(extra.values()), notes=notes, extra=extra)


WORKLOADS = [
    Workload("F-I curve", "HH, 50 currents x 500 ms, one parallel batch, spikes only",
             "<= 0.3 s warm", _fi, under(0.3)),
    Workload("excitability page", "rheobase, class (HH, INaPK), three pulses, refractory "
             "curve (total; each in the notes)", "(reported)", _analyses, None),
]
