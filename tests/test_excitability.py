"""Tests of neurolab.analysis.excitability against closed forms, published values and
independent simulations (sources in each docstring)."""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.analysis import bifurcations
from neurolab.analysis.excitability import (
    action_potential_stages,
    excitability_class,
    fi_curve,
    impedance,
    integrator_or_resonator,
    pulse_pair_response,
    refractory_response,
    resonant_frequency,
    rheobase,
    three_pulse_experiment,
)
from neurolab.models import LIF, FitzHughNagumo, HodgkinHuxley, INaPK, Izhikevich
from neurolab.models.izhikevich import firing_pattern
from neurolab.simulate import simulate
from neurolab.stimulus import pulses, sine

HH = HodgkinHuxley()


def test_lif_fi_matches_closed_form():
    """LIF rate = 1000 / (t_ref + tau ln((RI + E_L - V_r)/(RI + E_L - V_th))) (Gerstner
    et al. 2014, Neuronal Dynamics, ch. 1), via LIF.rate; 0 below rheobase."""
    m = LIF()
    I = np.array([0.5, 1.4, 1.6, 2.0, 3.0, 4.5])
    r = fi_curve(m, I, duration=1000.0, dt=0.01)
    np.testing.assert_allclose(r, m.rate(I), rtol=2e-3, atol=1e-9)


def test_hh_fi_jump():
    """HH from rest: no repetitive firing below the fold of limit cycles (I ~ 6.26
    uA/cm2, Rinzel & Miller 1980, Math. Biosci. 49:27), then a jump to a rate near
    50 Hz (class 2; Hodgkin 1948; Gerstner et al. 2014, Fig. 2.5)."""
    I = np.array([5.0, 6.0, 6.2, 6.35, 8.0, 15.0])
    r = fi_curve(HH, I, duration=500.0)
    assert np.all(r[:3] == 0.0)
    assert 45.0 < r[3] < 60.0
    assert r[3] < r[4] < r[5] < 120.0


def test_fi_progress_and_chunks():
    """Chunked runs with a progress callback give the same rates as one batch."""
    seen = []
    I = np.linspace(5, 12, 7)
    a = fi_curve(HH, I, 300.0, progress=seen.append, chunk=3)
    b = fi_curve(HH, I, 300.0)
    np.testing.assert_array_equal(a, b)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == 3


def test_rheobase_hh_and_lif():
    """HH: repetitive firing from rest starts between 6.2 and 6.3 uA/cm2 (Rinzel &
    Miller 1980: fold of limit cycles at 6.26); LIF: (V_th - E_L) / R exactly."""
    assert 6.2 < rheobase(HH, (0.0, 20.0), duration=500.0, tol=0.01) < 6.3
    m = LIF()
    assert rheobase(m, (0.0, 5.0), tol=1e-4) == pytest.approx(m.rheobase(), abs=2e-4)


def test_rheobase_inapk_snic():
    """I_Na,p+I_K (high threshold): saddle-node on invariant circle at I = 4.51
    (Izhikevich 2007, Fig. 6.7); the rest state's fold is computed here from the model's
    equilibria (rest and saddle vanish), and the rate falls towards 0 as I approaches it
    from above."""
    m = INaPK()
    I_sn = next(I for I in np.arange(4.4, 4.6, 0.001) if len(m.equilibria(I)) < 3)
    assert I_sn == pytest.approx(4.51, abs=0.01)
    Ir = rheobase(m, (0.0, 10.0), duration=500.0, tol=1e-3)
    assert I_sn - 0.002 <= Ir < I_sn + 0.03
    r = fi_curve(m, Ir + np.array([0.001, 0.1, 1.0]), duration=500.0)
    assert r[0] < 0.3 * r[1] < 0.3 * r[2]


@pytest.mark.parametrize("model, I_range, expected", [
    (HH, (0.0, 20.0), 2),
    (INaPK(), (0.0, 10.0), 1),
    (INaPK.preset("low-threshold"), (0.0, 40.0), 2),
    (LIF(), (0.0, 5.0), 1),
    (firing_pattern("class 1 excitable").model, (0.0, 40.0), 1),
    (firing_pattern("class 2 excitable").model, (0.0, 40.0), 2),
    (firing_pattern("accommodation").model, (0.0, 40.0), 3),
])
def test_excitability_class(model, I_range, expected):
    """Hodgkin's classes: HH class 2 (Hopf / fold of cycles, Rinzel & Miller 1980);
    I_Na,p+I_K high threshold class 1 (SNIC) and low threshold class 2 (Hopf; its range
    starts at 0, below the Hopf current: see test_small_hopf_oscillation_is_class_2)
    (Izhikevich 2007, ch. 6-7); LIF class 1 (rate -> 0 logarithmically); Izhikevich
    (2004) Fig. 1 G and H are labelled class 1 and 2 by the paper; its accommodation
    model (R) has a rest that stays stable for every constant current (u' = a b
    (v + 65) pins v at -65 mV), so a step gives only onset spikes: class 3."""
    dt = 0.05 if isinstance(model, INaPK) else None  # RK4 at 0.05 ms: tau_n = 1 ms
    assert excitability_class(model, I_range, duration=500.0, dt=dt) == expected


def test_small_hopf_oscillation_is_class_2():
    """Regression (issue 8, item 6): I_Na,p+I_K low threshold on 0-30 uA/cm2. Its rest
    loses stability in a supercritical Andronov-Hopf bifurcation (found by
    continuation, independently of any simulation); the cycle born there stays far
    below the spike detection level (-20 mV) over the whole range, so the F-I curve of
    detected spikes is 0 there. It is still repetitive activity at a finite rate:
    class 2, never class 3 (which means no repetitive activity at all)."""
    m = INaPK.preset("low-threshold")
    (hopf,) = bifurcations(m, (0.0, 30.0))
    assert hopf.kind == "Hopf" and hopf.criticality == "supercritical"
    np.testing.assert_array_equal(fi_curve(m, [hopf.I + 1.0, 30.0], 500.0, dt=0.05), 0.0)
    assert excitability_class(m, (0.0, 30.0), duration=500.0, dt=0.05) == 2
    # The onset of sustained oscillation is the Hopf current, approached from below
    # (an oscillation decaying slower than 1/duration counts) and closer with longer runs.
    onsets = [rheobase(m, (0.0, 30.0), duration=d, tol=1e-3, criterion="oscillation",
                       dt=0.05) for d in (500.0, 2000.0)]
    assert hopf.I - 0.1 < onsets[0] < onsets[1] < hopf.I + 1e-3
    # Its rate just past the onset is the frequency of the critical eigenvalues,
    # Im(lambda) / 2 pi at the Hopf point, measured here from the peaks of V.
    lam = np.linalg.eigvals(m.jacobian(hopf.state, hopf.I))
    f_hopf = 1000.0 * float(np.max(lam.imag)) / (2.0 * np.pi)
    tr = simulate(m, 1000.0, dt=0.01, current=hopf.I + 0.2)
    v = tr.V[tr.t >= 500.0]
    peaks = np.flatnonzero((v[1:-1] > v[:-2]) & (v[1:-1] >= v[2:])) + 1
    f_sim = 1000.0 / (np.mean(np.diff(peaks)) * 0.01)
    assert f_sim == pytest.approx(f_hopf, rel=0.02)
    assert tr.V[tr.t >= 500.0].max() < m.spike_threshold - 10.0


def test_range_starting_inside_the_oscillation_is_refused():
    """With the onset at the Hopf current (14.66 uA/cm2 by continuation), a range that
    starts at 20 uA/cm2 starts inside the oscillating regime: it does not bracket the
    onset, and excitability_class says so instead of guessing a class."""
    m = INaPK.preset("low-threshold")
    assert bifurcations(m, (0.0, 30.0))[0].I < 20.0
    with pytest.raises(ValueError, match=r"already fires at I_range\[0\]=20"):
        excitability_class(m, (20.0, 40.0), duration=500.0, dt=0.05)


def test_oscillation_rheobase_hh_is_the_fold_of_cycles():
    """HH: the damped oscillation that follows the onset spike below I = 6.26 uA/cm2
    (fold of limit cycles, Rinzel & Miller 1980) is not sustained; repetitive activity
    by the cycle criterion starts where spikes repeat, between 6.2 and 6.3."""
    assert 6.2 < rheobase(HH, (0.0, 20.0), duration=500.0, tol=0.01,
                          criterion="oscillation") < 6.3


@pytest.mark.parametrize("decay, sustained", [(0.0, True), (0.2, True), (5.0, False),
                                              (50.0, False)])
def test_sustained_rate_on_closed_form_signals(decay, sustained):
    """The cycle detector on v(t) = exp(-decay t / T) sin(2 pi f t) over a run of T ms:
    sustained (rate f) when the amplitude decays by less than a factor e over T, 0 when
    it decays faster."""
    from neurolab.analysis.excitability import _sustained_rate

    T, f = 1000.0, 40.0
    t = np.arange(0.0, T + 0.01, 0.01)
    v = -60.0 + 5.0 * np.exp(-decay * t / T) * np.sin(2 * np.pi * f * t / 1000.0)
    rate = _sustained_rate(t, v, T)
    if sustained:
        assert rate == pytest.approx(f, rel=1e-3)
    else:
        assert rate == 0.0
    assert _sustained_rate(t, np.full_like(t, -60.0), T) == 0.0


def test_class3_rest_always_stable():
    """The class-3 example is class 3 for a structural reason: its only equilibrium
    (v = -65 mV) is stable at every current in the range (Jacobian eigenvalues)."""
    m = firing_pattern("accommodation").model
    for I in np.linspace(0, 40, 9):
        (y,) = m.equilibria(I)
        assert y[0] == pytest.approx(-65.0) and m.is_stable(y, I)


def test_lif_impedance_closed_form():
    """LIF (below threshold an RC circuit): Z = R / (1 + i omega tau_m)."""
    m = LIF()
    f = np.array([0.0, 1.0, 10.0, 100.0, 1000.0])
    w = 2 * np.pi * f / 1000.0
    np.testing.assert_allclose(impedance(m, f), m.R / (1 + 1j * w * m.tau_m), rtol=1e-12)
    assert resonant_frequency(m) == 0.0


@pytest.mark.parametrize("f", [20.0, 67.0, 150.0])
def test_hh_impedance_matches_simulation(f):
    """Independent check: drive HH with a small sine (0.01 uA/cm2) and fit amplitude and
    phase of the steady-state voltage; they must match |Z| and arg Z."""
    amp, y0 = 0.01, HH.rest(0.0)
    dur = 200.0
    tr = simulate(HH, dur, dt=0.01, current=sine(amp, f), y0=y0)
    keep = tr.t >= 100.0
    t, v = tr.t[keep], tr.V[keep] - y0[0]
    w = 2 * np.pi * f / 1000.0
    A = np.column_stack([np.sin(w * t), np.cos(w * t), np.ones_like(t)])
    (s, c, _), *_ = np.linalg.lstsq(A, v, rcond=None)
    measured = complex(s, c) / amp  # v = Im(Z e^{iwt}) amp
    Z = complex(impedance(HH, f))
    assert abs(measured) == pytest.approx(abs(Z), rel=0.01)
    assert np.angle(measured) == pytest.approx(np.angle(Z), abs=0.02)


def test_hh_resonance_near_eigenfrequency():
    """HH rest: |Z| peaks near the ringing frequency Im(lambda) / (2 pi) of the slow
    complex eigenvalue pair (about 61 Hz at 6.3 C); the peak is a true maximum."""
    f_res = resonant_frequency(HH)
    ev = np.linalg.eigvals(HH.jacobian(HH.rest(0.0), 0.0))
    f_eig = 1000.0 * np.max(ev.imag) / (2 * np.pi)
    assert f_res == pytest.approx(f_eig, rel=0.15)
    z = np.abs(impedance(HH, [0.0, f_res, 0.9 * f_res, 1.1 * f_res]))
    assert z[1] > max(z[0], z[2], z[3])


@pytest.mark.parametrize("model, expected", [
    (HH, "resonator"), (INaPK(), "integrator"), (FitzHughNagumo(), "resonator"),
    (LIF(), "integrator"), (Izhikevich.preset("RZ"), "resonator"),
])
def test_integrator_or_resonator(model, expected):
    """Izhikevich (2007), ch. 7: HH, FitzHugh-Nagumo and the RZ cell rest at a focus
    (resonators); I_Na,p+I_K high threshold and LIF at a node (integrators). Resonators
    here also show an impedance peak at a nonzero frequency, integrators do not."""
    assert integrator_or_resonator(model) == expected
    assert (resonant_frequency(model) > 0) == (expected == "resonator")


def test_three_pulses_resonator_hh():
    """Three pulses at the resonant interval fire HH, the same pulses at half or 1.5
    times that interval do not, and one pulse alone does not (Izhikevich 2007, ch. 7)."""
    r = three_pulse_experiment(HH)
    assert r.kind == "resonator"
    assert r.amplitude < r.single_threshold
    assert list(r.demo.spiked) == [False, True, False]
    assert abs(r.best_interval - r.resonant_interval) < 0.25 * r.resonant_interval


def test_three_pulses_integrator_prefers_short():
    """An integrator (I_Na,p+I_K, high threshold) needs less current the closer the
    pulses: the threshold rises monotonically with the interval."""
    r = three_pulse_experiment(INaPK())
    assert r.kind == "integrator"
    assert np.all(np.diff(r.threshold) > 0)
    assert list(r.demo.spiked) == [True, False, False]


def test_pulse_pair_response_shapes():
    """Two subthreshold pulses: peak grows when the second pulse comes sooner for an
    integrator (LIF: exponential decay of the first pulse's depolarization)."""
    m = LIF()
    p = pulse_pair_response(m, [1.0, 5.0, 20.0], amplitude=5.0, width=0.5, dt=0.01)
    assert p.V.shape == p.current.shape == (3, p.t.size)
    assert not p.spiked.any()
    assert p.peak[0] > p.peak[1] > p.peak[2]
    # closed form for the LIF: a pulse of width w lifts V by R a (1 - e^{-w/tau})
    one = m.R * 5.0 * (1 - np.exp(-0.5 / m.tau_m))
    expected = one * (1 + np.exp(-20.0 / m.tau_m)) + m.E_L
    assert p.peak[2] == pytest.approx(expected, abs=1e-3)


def test_refractory_hh():
    """HH after a spike: no second spike for any amplitude up to 10x threshold at short
    delays (absolute refractory period, a few ms at 6.3 C; Hodgkin & Huxley 1952,
    part on refractoriness), then a threshold that falls back to the single-pulse one."""
    d = np.array([2.0, 4.0, 10.0, 15.0, 50.0])
    r = refractory_response(HH, d)
    assert np.all(r.absolute[:2])
    assert np.isfinite(r.threshold[2:]).all()
    assert r.threshold[2] > r.threshold[3] > r.single_threshold
    assert r.threshold[4] == pytest.approx(r.single_threshold, rel=0.05)


@pytest.mark.parametrize("call, name", [
    (lambda: fi_curve(HH, [], 100.0), "currents"),
    (lambda: fi_curve(HH, [1.0], -5.0), "duration"),
    (lambda: fi_curve(HH, [1.0], 100.0, progress=3), "progress"),
    (lambda: fi_curve("HH", [1.0]), "model"),
    (lambda: rheobase(HH, (5.0, 1.0)), "I_range"),
    (lambda: rheobase(HH, (0.0, 20.0), criterion="x"), "criterion"),
    (lambda: rheobase(HH, (0.0, 3.0), duration=100.0), "never"),
    (lambda: rheobase(HH, (8.0, 20.0), duration=200.0), "I_range[0]"),
    (lambda: impedance(HH, [-1.0]), "freqs"),
    (lambda: impedance(HH, [np.nan]), "freqs"),
    (lambda: resonant_frequency(HH, f_range=(10.0, 5.0)), "f_range"),
    (lambda: integrator_or_resonator(HH, I=20.0), "no stable resting state"),
    (lambda: pulse_pair_response(HH, [0.5], 1.0, width=1.0), "intervals"),
    (lambda: pulse_pair_response(HH, [5.0], 1.0, width=0.0), "width"),
    (lambda: three_pulse_experiment(HH, n_pulses=1), "n_pulses"),
    (lambda: refractory_response(HH, [0.1], width=0.5), "delays"),
])
def test_bad_input(call, name):
    """Bad arguments raise ValueError naming the argument (or the missing answer)."""
    with pytest.raises(ValueError, match=name.replace("[", r"\[").replace("]", r"\]")):
        call()


# ----------------------------------------------------------------------------- AP stages
def _hh_pulse(amplitude: float, width: float = 0.5):
    return simulate(HH, 30.0, current=pulses([2.0], amplitude, width))


def test_action_potential_stages_in_order_and_by_their_definition():
    """Hodgkin-Huxley (1952) spike from a 15 uA/cm2, 0.5 ms pulse at 2 ms. The stages
    follow each other; amplification starts where the ionic currents alone depolarize
    (the model's dV/dt at zero injected current, an independent evaluation of its
    equations, turns positive above rest); the peak is where that dV/dt changes sign from
    + to -; repolarization ends where V crosses below rest, and the
    after-hyperpolarization lies between E_K and rest (Hodgkin & Huxley 1952)."""
    tr = _hh_pulse(15.0)
    st = action_potential_stages(tr, 2.0)
    assert st.spiked
    assert st.onset < st.amplification < st.peak < st.repolarized < st.ahp_end
    y = np.stack([tr.states[n] for n in HH.state_names])
    own = HH.rhs(y, 0.0)[0]
    k = np.searchsorted(tr.t, st.amplification)
    assert own[k] > 0 and tr.V[k] > st.v_rest
    assert np.all((own[:k] <= 0) | (tr.V[:k] <= st.v_rest + 0.5) | (tr.t[:k] < 2.0))
    kp = np.searchsorted(tr.t, st.peak)
    assert tr.V[kp] == tr.V.max()
    assert own[kp - 1] > 0 > own[kp + 1]
    kr = np.searchsorted(tr.t, st.repolarized)
    assert tr.V[kr - 1] >= st.v_rest > tr.V[kr]
    ahp = tr.V[(tr.t >= st.repolarized) & (tr.t < st.ahp_end)]
    assert np.all(ahp < st.v_rest)
    assert HH.E_K < ahp.min() < st.v_rest - 5.0
    assert st.v_rest == pytest.approx(HH.rest(0.0)[0])


def test_action_potential_stages_without_spike_and_bad_input():
    """A 5 uA/cm2 pulse stays below threshold (a bump of a few mV): only the onset and
    the resting potential are reported. A non-trace or an onset outside the run is a
    ValueError naming it."""
    st = action_potential_stages(_hh_pulse(5.0), 2.0)
    assert not st.spiked
    assert (st.amplification, st.peak, st.repolarized, st.ahp_end) == (None,) * 4
    assert st.onset == 2.0 and st.v_rest == pytest.approx(HH.rest(0.0)[0])
    with pytest.raises(ValueError, match="onset"):
        action_potential_stages(_hh_pulse(15.0), 40.0)
    with pytest.raises(ValueError, match="trace"):
        action_potential_stages(np.zeros(10), 2.0)
