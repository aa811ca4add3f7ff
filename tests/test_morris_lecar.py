"""Morris-Lecar model (Rinzel & Ermentrout 1989 form), each result against an
independent method: the exact Jacobian against finite differences, the continuation of
equilibria and cycles (neurolab.analysis.bifurcations / limit_cycles) against direct
simulation of current sweeps, and the excitability classes of its two presets."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import fsolve

from neurolab.analysis import bifurcations, excitability_class, fi_curve, limit_cycles
from neurolab.models import MorrisLecar
from neurolab.simulate import simulate

HOPF = MorrisLecar.preset("hopf")
SNIC = MorrisLecar.preset("snic")
#: A current range holding every bifurcation of both presets (Rinzel & Ermentrout 1989,
#: Figs. 2 and 6 span 0-150 uA/cm2).
RANGE = (0.0, 150.0)


def test_defaults_and_presets_are_the_published_sets():
    """Rinzel & Ermentrout (1989), Appendix A (and its XPP file; Ermentrout & Terman
    2010, Table 3.1): the default is the Figs. 1-3 set; "snic" changes g_Ca, V3, V4
    and phi only (phi = 1/15, written 0.06666667 in the XPP file)."""
    m = MorrisLecar()
    expected = {"C": 20.0, "g_L": 2.0, "E_L": -60.0, "g_Ca": 4.4, "E_Ca": 120.0,
                "g_K": 8.0, "E_K": -84.0, "V1": -1.2, "V2": 18.0, "V3": 2.0, "V4": 30.0,
                "phi": 0.04}
    assert m.params() == expected
    assert HOPF == m
    assert SNIC.params() == {**expected, "g_Ca": 4.0, "V3": 12.0, "V4": 17.4,
                             "phi": 1.0 / 15.0}


def test_rhs_by_hand_and_rest_state():
    """The right-hand side written out by hand at a state; the rest at I = 0 solves
    both equations (scipy's fsolve from a nearby point) and its w matches the resting
    w = 0.014915 the chapter's XPP file starts from (hopf set)."""
    y = np.array([-20.0, 0.3])
    I = 50.0
    V, w = y
    m_inf = 0.5 * (1 + np.tanh((V + 1.2) / 18.0))
    w_inf = 0.5 * (1 + np.tanh((V - 2.0) / 30.0))
    tau_w = 1.0 / np.cosh((V - 2.0) / 60.0)
    dV = (I - 2.0 * (V + 60.0) - 4.4 * m_inf * (V - 120.0) - 8.0 * w * (V + 84.0)) / 20.0
    dw = 0.04 * (w_inf - w) / tau_w
    np.testing.assert_allclose(HOPF.rhs(y, I), [dV, dw], rtol=1e-12)
    for model in (HOPF, SNIC):
        rest = model.rest(0.0)
        ref = fsolve(lambda z, mm=model: mm.rhs(z, 0.0), rest + [1.0, 0.01], xtol=1e-13)
        np.testing.assert_allclose(rest, ref, atol=1e-9)
    assert HOPF.rest(0.0)[1] == pytest.approx(0.014915, abs=5e-7)


@pytest.mark.parametrize("model", [HOPF, SNIC], ids=["hopf", "snic"])
def test_jacobian_matches_central_differences(model, rng):
    """The exact (symbolic) Jacobian against second-order central differences of rhs
    at 200 random states and currents."""
    Y = np.vstack([rng.uniform(-80.0, 60.0, 200), rng.uniform(0.0, 1.0, 200)])
    I = rng.uniform(*RANGE, 200)
    J = model.jacobian(Y, I)
    for j, h in enumerate((1e-5, 1e-7)):
        Yp, Ym = Y.copy(), Y.copy()
        Yp[j] += h
        Ym[j] -= h
        fd = (model.rhs(Yp, I) - model.rhs(Ym, I)) / (2 * h)
        np.testing.assert_allclose(J[:, j], fd, rtol=1e-6, atol=1e-7)


def test_bifurcation_kinds():
    """Rinzel & Ermentrout (1989): with the Figs. 1-3 set the rest loses stability in a
    subcritical Hopf bifurcation, the large cycle appearing first at a fold of limit
    cycles below it; with the Figs. 4-6 set rest and saddle merge on an invariant
    circle (and the upper state loses stability in a Hopf bifurcation, far above)."""
    kinds = [(b.kind, b.criticality) for b in bifurcations(HOPF, RANGE)]
    assert kinds == [("fold of limit cycles", None), ("Hopf", "subcritical")]
    first = bifurcations(SNIC, RANGE)[0]
    assert first.kind == "saddle-node on invariant circle"
    assert not any(b.kind == "saddle-node on invariant circle"
                   for b in bifurcations(HOPF, RANGE))


def _onset(model, currents, duration=2000.0):
    """First current of a sweep (each run from rest at I = 0) that fires repetitively,
    and the rates of the sweep."""
    rates = fi_curve(model, currents, duration=duration)
    k = int(np.argmax(rates > 0.0))
    assert rates[k] > 0.0 and np.all(rates[:k] == 0.0)
    return currents[k], rates


def _stable_period(branches, I):
    """Period of a stable orbit at current I, interpolated along a continued branch."""
    out = []
    for b in branches:
        for k in range(len(b.I) - 1):
            if b.stable[k] and b.stable[k + 1] and (b.I[k] - I) * (b.I[k + 1] - I) <= 0:
                s = (I - b.I[k]) / (b.I[k + 1] - b.I[k])
                out.append(b.period[k] + s * (b.period[k + 1] - b.period[k]))
    assert out, f"no stable cycle found at I={I}"
    return max(out)


def test_hopf_set_onset_by_simulation_matches_continuation():
    """Class 2 by two methods. Continuation puts the fold of limit cycles (the first
    current with a stable large orbit) below the subcritical Hopf point; a sweep of
    simulated steps from rest must start firing between the two (the cycle exists and
    the step from rest reaches it), and at a finite rate: the simulated rate just past
    the onset equals 1000 / period of the stable orbit continued to that current, and
    is more than half the rate 10 uA/cm2 further on (a jump, not a rise from zero)."""
    found = bifurcations(HOPF, RANGE)
    I_fold = next(b.I for b in found if b.kind == "fold of limit cycles")
    I_hopf = next(b.I for b in found if b.kind == "Hopf")
    step = 0.25
    currents = np.arange(80.0, 100.0, step)
    I_on, rates = _onset(HOPF, currents)
    assert I_fold - step < I_on <= I_hopf
    cycles = limit_cycles(HOPF, (80.0, 120.0))
    r_on = rates[currents == I_on][0]
    assert r_on == pytest.approx(1000.0 / _stable_period(cycles, I_on), rel=0.01)
    r_10 = fi_curve(HOPF, [I_on + 10.0], duration=2000.0)[0]
    assert r_on > 0.5 * r_10
    # above the Hopf point the rest is gone: the same orbit, by both methods
    r = fi_curve(HOPF, [110.0], duration=2000.0)[0]
    assert r == pytest.approx(1000.0 / _stable_period(cycles, 110.0), rel=0.01)


def test_snic_set_onset_by_simulation_matches_continuation():
    """Class 1 by two methods. The simulated sweep starts firing just above the
    saddle-node on invariant circle found by continuation (within the rate a 2 s run
    can see), and the rate rises from zero by the square-root law of that bifurcation,
    f ~ sqrt(I - I_sn) (Izhikevich 2007, sect. 7.1; Ermentrout 1996): quadrupling the
    distance doubles the rate."""
    I_sn = bifurcations(SNIC, RANGE)[0].I
    assert SNIC.rest(I_sn - 0.01) is not None
    with pytest.raises(ValueError, match="no stable resting state"):
        SNIC.rest(I_sn + 0.01)
    step = 0.05
    currents = I_sn - 0.5 + step * np.arange(40)
    I_on, _ = _onset(SNIC, currents)
    assert I_sn < I_on < I_sn + 0.5
    d = np.array([0.01, 0.04, 0.16])
    r = fi_curve(SNIC, I_sn + d, duration=8000.0)
    np.testing.assert_allclose(r[1:] / r[:-1], 2.0, rtol=0.05)
    # and its rate at 60 uA/cm2 is that of the orbit continued from the simulated one
    cycles = limit_cycles(SNIC, (45.0, 90.0))
    r60 = fi_curve(SNIC, [60.0], duration=2000.0)[0]
    assert r60 == pytest.approx(1000.0 / _stable_period(cycles, 60.0), rel=0.01)


@pytest.mark.parametrize("name, I_range, expected", [("hopf", (0.0, 120.0), 2),
                                                    ("snic", (0.0, 80.0), 1)])
def test_excitability_class_of_the_presets(name, I_range, expected):
    """One switch of parameter set turns class 2 into class 1 (Rinzel & Ermentrout
    1989: Hopf versus saddle-node on invariant circle)."""
    assert excitability_class(MorrisLecar.preset(name), I_range) == expected


def test_start_current_fires_and_bad_parameters():
    """The explorer's starting current fires a few spikes in its run; parameters
    outside their valid range are refused, naming them."""
    m = MorrisLecar()
    tr = simulate(m, m.start_duration, current=m.start_current)
    assert 3 <= tr.spike_times.size <= 20
    with pytest.raises(ValueError, match="phi"):
        MorrisLecar(phi=0.0)
    with pytest.raises(ValueError, match="V4"):
        MorrisLecar(V4=-1.0)
