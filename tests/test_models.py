"""Models: equations, equilibria, analytic results and presets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neurolab.models import (
    LIF,
    MODELS,
    FitzHughNagumo,
    HodgkinHuxley,
    INaP,
    INaPK,
    Izhikevich,
    gating_steady_state,
    hh_rates,
)
from neurolab.simulate import simulate

ALL = list(MODELS.values())


# ------------------------------------------------------------------ Hodgkin-Huxley
def _rates_1952(v1952):
    """Rates of Hodgkin & Huxley (1952), eqs. 12, 13, 20, 21, 23, 24, with their V:
    displacement from rest in mV, depolarization NEGATIVE."""
    V = np.asarray(v1952, dtype=float)
    am = 0.1 * (V + 25) / (np.exp((V + 25) / 10) - 1)
    bm = 4 * np.exp(V / 18)
    ah = 0.07 * np.exp(V / 20)
    bh = 1 / (np.exp((V + 30) / 10) + 1)
    an = 0.01 * (V + 10) / (np.exp((V + 10) / 10) - 1)
    bn = 0.125 * np.exp(V / 80)
    return am, bm, ah, bh, an, bn


def _rates_from_rest(v):
    """The same rates written with v = displacement from rest, depolarization positive
    (the "10 - v, 25 - v" form of the course's syllabus; beta_h = 1/(exp((30-v)/10)+1))."""
    v = np.asarray(v, dtype=float)
    am = 0.1 * (25 - v) / (np.exp((25 - v) / 10) - 1)
    bm = 4 * np.exp(-v / 18)
    ah = 0.07 * np.exp(-v / 20)
    bh = 1 / (np.exp((30 - v) / 10) + 1)
    an = 0.01 * (10 - v) / (np.exp((10 - v) / 10) - 1)
    bn = 0.125 * np.exp(-v / 80)
    return am, bm, ah, bh, an, bn


# Avoid the removable singularities (checked separately) with an irrational offset.
_V = np.linspace(-100.0, 50.0, 301) + 1 / math.pi


def test_hh_rates_match_1952_convention():
    """Hodgkin & Huxley (1952): their V is rest minus membrane potential, so
    V_1952 = -(V + 65) with V in the modern convention (rest -65 mV). In particular
    beta_h = 1/(exp(-(V+35)/10) + 1) (the 1952 1/(exp((V_1952+30)/10)+1) shifted)."""
    ours = hh_rates(_V)
    for a, b in zip(ours, _rates_1952(-(_V + 65.0)), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    np.testing.assert_allclose(ours[3], 1 / (np.exp(-(_V + 35) / 10) + 1), rtol=1e-12)


def test_hh_rates_match_depolarization_positive_convention():
    """Syllabus form (v from rest, depolarization positive: 10 - v, 25 - v, and
    beta_h = 1/(exp((30 - v)/10) + 1), not a "-v" numerator), with v = V + 65."""
    for a, b in zip(hh_rates(_V), _rates_from_rest(_V + 65.0), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("V0,index,limit", [(-40.0, 0, 1.0), (-55.0, 4, 0.1)])
def test_hh_rates_removable_singularity(V0, index, limit):
    """alpha_m at V = -40 and alpha_n at V = -55 mV are 0/0; their limits are
    0.1 * 10 = 1 and 0.01 * 10 = 0.1 per ms (l'Hopital), and the rates are continuous."""
    vals = hh_rates(np.array([V0 - 1e-4, V0, V0 + 1e-4]))[index]
    assert vals[1] == pytest.approx(limit, rel=1e-12)
    np.testing.assert_allclose(vals, limit, rtol=1e-5)


def test_gating_steady_state_definitions():
    """x_inf = alpha / (alpha + beta), tau_x = 1 / (alpha + beta) (Hodgkin & Huxley 1952)."""
    am, bm, ah, bh, an, bn = _rates_1952(-(_V + 65.0))
    ss = gating_steady_state(_V)
    for x, (a, b) in {"m": (am, bm), "h": (ah, bh), "n": (an, bn)}.items():
        np.testing.assert_allclose(ss[x][0], a / (a + b), rtol=1e-12)
        np.testing.assert_allclose(ss[x][1], 1 / (a + b), rtol=1e-12)


def test_hh_resting_potential():
    """The resting potential of the squid axon model is -65 mV in the modern convention
    (Hodgkin & Huxley 1952: E_L is set so that the net current vanishes at rest)."""
    rest = HodgkinHuxley().rest(0.0)
    assert rest[0] == pytest.approx(-65.0, abs=0.01)
    ss = gating_steady_state(rest[0])
    np.testing.assert_allclose(rest[1:], [ss["m"][0], ss["h"][0], ss["n"][0]], rtol=1e-10)


def test_hh_rhs_by_hand():
    """C dV/dt = I - g_Na m^3 h (V - E_Na) - g_K n^4 (V - E_K) - g_L (V - E_L) (sodium with
    E_Na, potassium with n^4), and x' = alpha (1 - x) - beta x, at a hand-picked state."""
    m = HodgkinHuxley(C=1.5)
    y = np.array([-30.0, 0.3, 0.4, 0.5])
    I = 7.0
    V, mm, h, n = y
    I_Na = 120.0 * mm**3 * h * (V - 50.0)
    I_K = 36.0 * n**4 * (V + 77.0)
    I_L = 0.3 * (V + 54.387)
    am, bm, ah, bh, an, bn = _rates_1952(-(V + 65.0))
    expected = [(I - I_Na - I_K - I_L) / 1.5, am * (1 - mm) - bm * mm,
                ah * (1 - h) - bh * h, an * (1 - n) - bn * n]
    np.testing.assert_allclose(m.rhs(y, I), expected, rtol=1e-12)


def test_hh_currents_by_hand_and_against_rhs():
    """I_Na = g_Na m^3 h (V - E_Na), I_K = g_K n^4 (V - E_K), I_L = g_L (V - E_L)
    (Hodgkin & Huxley 1952, eq. 26, modern convention) at hand-picked states; and,
    independently through the compiled right-hand side, each current equals -C dV/dt of
    the model with the other two conductances (and the injected current) at zero, and
    their sum equals I - C dV/dt of the full model."""
    m = HodgkinHuxley(C=1.5, g_Na=100.0, E_K=-80.0)
    y = np.array([[-30.0, 10.0, -70.0], [0.3, 0.9, 0.05], [0.4, 0.1, 0.6],
                  [0.5, 0.7, 0.3]])
    cur = m.currents(y)
    V, mm, h, n = y
    np.testing.assert_allclose(cur["Na"], 100.0 * mm**3 * h * (V - 50.0), rtol=1e-12)
    np.testing.assert_allclose(cur["K"], 36.0 * n**4 * (V + 80.0), rtol=1e-12)
    np.testing.assert_allclose(cur["L"], 0.3 * (V + 54.387), rtol=1e-12)
    alone = {"Na": m.replace(g_K=0.0, g_L=0.0), "K": m.replace(g_Na=0.0, g_L=0.0),
             "L": m.replace(g_Na=0.0, g_K=0.0)}
    for ion, only in alone.items():
        np.testing.assert_allclose(cur[ion], -m.C * only.rhs(y, 0.0)[0], rtol=1e-12)
    I = 7.0
    np.testing.assert_allclose(cur["Na"] + cur["K"] + cur["L"], I - m.C * m.rhs(y, I)[0],
                               rtol=1e-12)
    grid = np.broadcast_to(y[:, :, None], (4, 3, 5))  # any trailing shape
    assert m.currents(grid)["K"].shape == (3, 5)
    assert np.ndim(m.currents(y[:, 0])["Na"]) == 0
    with pytest.raises(ValueError, match="y must have shape"):
        m.currents(y[:3])
    with pytest.raises(ValueError, match="y"):
        m.currents(np.full(4, np.nan))


@pytest.mark.parametrize("T", [0.0, 6.3, 18.5, 30.0])
def test_hh_temperature_factor(T):
    """phi = 3 ** ((T - 6.3) / 10) multiplies the gate derivatives and leaves dV/dt
    alone (Hodgkin, Huxley & Katz 1952, Q10 = 3)."""
    y = np.array([-50.0, 0.2, 0.5, 0.4])
    cold = HodgkinHuxley().rhs(y, 3.0)
    warm = HodgkinHuxley(temperature=T).rhs(y, 3.0)
    phi = 3.0 ** ((T - 6.3) / 10.0)
    assert HodgkinHuxley(temperature=T).phi == pytest.approx(phi)
    assert warm[0] == cold[0]
    np.testing.assert_allclose(warm[1:], phi * cold[1:], rtol=1e-12)


def test_hh_hopf_current():
    """The HH rest loses stability near I = 9.78 uA/cm2 (subcritical Andronov-Hopf;
    Rinzel & Miller 1980; Izhikevich 2007, sect. 6.1): stable rest at 9.7, none at 9.9,
    and rest() names the current in its error."""
    hh = HodgkinHuxley()
    assert hh.rest(9.7)[0] < -59.0
    with pytest.raises(ValueError, match=r"I=9\.9"):
        hh.rest(9.9)
    with pytest.raises(ValueError, match=r"I=10 "):
        hh.rest(10.0)


# ------------------------------------------------------------------ Jacobians
def _random_states(model, rng, n):
    """Random states spanning the slider-range scales of each model's variables."""
    lo, hi = model.equilibrium_window
    first = rng.uniform(lo, hi, n)
    if isinstance(model, HodgkinHuxley):
        return np.vstack([first, rng.uniform(0, 1, (3, n))])
    if isinstance(model, INaPK):
        return np.vstack([first, rng.uniform(0, 1, n)])
    if isinstance(model, FitzHughNagumo):
        return np.vstack([first, rng.uniform(-3, 3, n)])
    if isinstance(model, Izhikevich):
        return np.vstack([first, rng.uniform(-30, 30, n)])
    if model.n_states == 1:
        return first[None, :]
    # Any other model: each further state over the range it sweeps in a run at the
    # model's starting current, widened by half that range on either side.
    tr = simulate(model, model.start_duration, current=model.start_current)
    rows = [first]
    for name in model.state_names[1:]:
        lo_s, hi_s = float(tr.states[name].min()), float(tr.states[name].max())
        pad = 0.5 * (hi_s - lo_s) + 1e-3 * (1.0 + abs(hi_s))
        rows.append(rng.uniform(lo_s - pad, hi_s + pad, n))
    return np.vstack(rows)


def _random_model(cls, rng):
    while True:
        values = {k: rng.uniform(*info.slider) for k, info in cls.parameter_info().items()}
        try:
            return cls(**values)
        except ValueError:  # a cross-parameter constraint (e.g. reset below threshold)
            continue


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_jacobian_matches_finite_differences(cls, rng):
    """Analytic Jacobian against second-order central differences of rhs (error
    O(h^2) ~ 1e-10 relative, plus the rounding of rhs, ~ eps |f| / h, which matters where
    f is huge: AdEx's exponential near its cut-off) at 200 random states, currents and
    parameter sets."""
    eps = np.finfo(float).eps
    for model in [cls()] + [_random_model(cls, rng) for _ in range(4)]:
        Y = _random_states(model, rng, 50)
        I = rng.uniform(*model.current_range, 50)
        J = model.jacobian(Y, I)
        f = np.abs(model.rhs(Y, I))
        for j in range(model.n_states):
            h = 1e-6 * np.maximum(1.0, np.abs(Y[j]))
            Yp, Ym = Y.copy(), Y.copy()
            Yp[j] += h
            Ym[j] -= h
            fd = (model.rhs(Yp, I) - model.rhs(Ym, I)) / (2 * h)
            scale = np.abs(fd).max(axis=0) + np.abs(J[:, j]).max(axis=0) + 1.0
            rounding = 8.0 * eps * f / h
            assert np.all(np.abs(J[:, j] - fd) <= 1e-6 * scale + rounding), (model, j)


# ------------------------------------------------------------------ LIF
@pytest.mark.parametrize("t_ref", [0.0, 2.0, 5.0])
def test_lif_rate_matches_closed_form(t_ref):
    """Simulated rate against 1000 / (t_ref + tau ln((RI + E_L - V_reset) /
    (RI + E_L - V_th))) (Gerstner et al. 2014, Neuronal Dynamics, sect. 1.3), to 0.05 %."""
    model = LIF(t_ref=t_ref)
    for I in [1.55, 2.0, 3.0, 5.0]:
        tr = simulate(model, 1000.0, current=I, y0=[model.V_reset])
        isi = np.diff(tr.spike_times)
        assert 1000.0 / isi.mean() == pytest.approx(float(model.rate(I)), rel=5e-4)


def test_lif_rest_and_rheobase():
    """Rest E_L + R I below threshold; rheobase (V_th - E_L) / R = 1.5 nA for the
    defaults; rate() is zero below it; rest() raises with the current above it."""
    model = LIF()
    assert model.rest(0.7)[0] == pytest.approx(-65.0 + 10.0 * 0.7)
    rb = model.rheobase()
    assert rb == pytest.approx((-50.0 + 65.0) / 10.0)
    assert model.rate(0.999 * rb) == 0.0 and model.rate(1.001 * rb) > 0.0
    assert simulate(model, 500.0, current=0.99 * rb).spike_times.size == 0
    assert simulate(model, 500.0, current=1.01 * rb).spike_times.size > 0
    with pytest.raises(ValueError, match=r"I=2 nA"):
        model.rest(2.0)


# ------------------------------------------------------------------ Izhikevich
@pytest.mark.parametrize("b", [-0.1, 0.2, 0.25, 0.26])
def test_izhikevich_saddle_node_current(b):
    """Equilibria of v' = 0.04 v^2 + 5 v + 140 - u + I, u = b v merge where the
    discriminant (5 - b)^2 - 0.16 (140 + I) vanishes: I_sn = (5 - b)^2 / 0.16 - 140
    (Izhikevich 2007, sect. 8.1.4). Two equilibria just below, none just above."""
    model = Izhikevich(b=b)
    I_sn = (5 - b) ** 2 / 0.16 - 140
    assert model.saddle_node_current() == pytest.approx(I_sn, rel=1e-12, abs=1e-12)
    below = model.equilibria(I_sn - 1e-6, window=(-200.0, 30.0))
    assert len(below) == 2
    for y in below:
        np.testing.assert_allclose(model.rhs(y, I_sn - 1e-6), 0.0, atol=1e-8)
    assert model.equilibria(I_sn + 1e-6, window=(-200.0, 30.0)) == []


def test_izhikevich_saddle_node_by_simulation():
    """A regular-spiking-like cell with b < a (Izhikevich 2007, sect. 8.1.4: then the
    rest disappears through the saddle-node; with the RS value b = 0.2 > a the trace
    1 - ... = 0.08 v + 5 - a turns positive first, an Andronov-Hopf at I = 3.8 < I_sn):
    a small step from rest at I_sn - 0.3 to just below I_sn settles without a spike; to
    just above it, it fires (an abrupt step from I = 0 would overshoot threshold once)."""
    model = Izhikevich.preset("RS", b=0.01)
    assert model.is_stable(model.equilibria(model.saddle_node_current() - 0.05)[0],
                           model.saddle_node_current() - 0.05)
    I_sn = model.saddle_node_current()
    y0 = model.rest(I_sn - 0.3)
    assert simulate(model, 2000.0, current=I_sn - 0.05, y0=y0).spike_times.size == 0
    assert simulate(model, 2000.0, current=I_sn + 0.05, y0=y0).spike_times.size > 0


# ------------------------------------------------------------------ persistent sodium
def test_inap_three_equilibria():
    """I_Na,p at I = 0 (Izhikevich 2007, Fig. 4.1): rest (stable), threshold (unstable)
    and the upper state (stable); stability from the sign of dF/dV, checked with a
    finite-difference slope, and the count with an independent sign-change scan."""
    model = INaP()
    eq = model.equilibria(0.0)
    assert len(eq) == 3
    V = np.linspace(-100.0, 60.0, 160001)
    F = model.rhs(V[None, :], 0.0)[0]
    assert np.count_nonzero(np.diff(np.sign(F)) != 0) == 3
    slopes = [(model.rhs(y + 1e-6, 0.0) - model.rhs(y - 1e-6, 0.0))[0] / 2e-6 for y in eq]
    assert [s < 0 for s in slopes] == [True, False, True]
    assert [model.is_stable(y, 0.0) for y in eq] == [True, False, True]
    assert model.rest(0.0)[0] == eq[0][0]


def test_inapk_rest_states():
    """I_Na,p + I_K at I = 0 (Izhikevich 2007, ch. 4 and 6): the high-threshold model
    has three equilibria (stable rest, saddle, unstable focus), the low-threshold one a
    single stable rest; each solves both equations (independent scipy root)."""
    from scipy.optimize import fsolve

    hi = INaPK.preset("high-threshold")
    eq = hi.equilibria(0.0)
    assert len(eq) == 3
    assert [hi.is_stable(y, 0.0) for y in eq] == [True, False, False]
    lo = INaPK.preset("low-threshold")
    assert len(lo.equilibria(0.0)) == 1
    for model in (hi, lo):
        rest = model.rest(0.0)
        ref = fsolve(lambda y, m=model: m.rhs(y, 0.0), rest + [0.5, 0.0], xtol=1e-13)
        np.testing.assert_allclose(rest, ref, atol=1e-8)


def test_inapk_saddle_node_current():
    """High-threshold I_Na,p + I_K: rest and saddle merge at I = 4.51 uA/cm2
    (saddle-node on invariant circle; Izhikevich 2007, sect. 6.1.2)."""
    model = INaPK()
    lo, hi = 4.0, 5.0
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if len(model.equilibria(mid)) == 3 else (lo, mid)
    assert lo == pytest.approx(4.51, abs=0.01)


# ------------------------------------------------------------------ FitzHugh-Nagumo
@pytest.mark.parametrize("I", [-0.5, 0.0, 0.33, 1.0, 1.5])
def test_fhn_equilibrium_matches_cubic_roots(I):
    """w = (v + a) / b on w' = 0; then v - v^3/3 - (v + a)/b + I = 0, whose real roots
    numpy.roots finds (FitzHugh 1961)."""
    model = FitzHughNagumo()
    a, b = model.a, model.b
    roots = np.roots([-1 / 3, 0.0, 1 - 1 / b, I - a / b])
    real = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
    eq = model.equilibria(I)
    np.testing.assert_allclose([y[0] for y in eq], real, atol=1e-9)
    np.testing.assert_allclose([y[1] for y in eq], (real + a) / b, atol=1e-9)


def test_fhn_hopf_currents():
    """At each hopf_currents() value the equilibrium's Jacobian has trace 0 and positive
    determinant, and the rest is stable outside the pair and unstable between them."""
    model = FitzHughNagumo()
    hopf = model.hopf_currents()
    assert len(hopf) == 2
    for Ih in hopf:
        (y,) = model.equilibria(Ih)
        J = model.jacobian(y, Ih)
        assert np.trace(J) == pytest.approx(0.0, abs=1e-9)
        assert np.linalg.det(J) > 0
    lo, hi = hopf
    assert model.is_stable(model.equilibria(lo - 0.01)[0], lo - 0.01)
    assert not model.is_stable(model.equilibria(lo + 0.01)[0], lo + 0.01)
    assert not model.is_stable(model.equilibria(hi - 0.01)[0], hi - 0.01)
    assert model.is_stable(model.equilibria(hi + 0.01)[0], hi + 0.01)
    with pytest.raises(ValueError, match=r"I=0\.5"):
        model.rest(0.5)


# ------------------------------------------------------------------ presets and replace
@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_every_preset_builds(cls):
    """Every preset makes a valid model whose parameters are those listed."""
    assert cls.presets
    for name, values in cls.presets.items():
        model = cls.preset(name)
        for k, v in values.items():
            assert getattr(model, k) == v


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_unknown_preset_and_parameter(cls):
    """Unknown preset -> ValueError listing the valid names; replace() with an unknown
    parameter -> ValueError naming it."""
    with pytest.raises(ValueError) as err:
        cls.preset("no such preset")
    assert "no such preset" in str(err.value)
    for name in cls.presets:
        assert repr(name) in str(err.value)
    with pytest.raises(ValueError, match="bogus"):
        cls().replace(bogus=1.0)


def test_replace_validates_and_copies():
    """replace() returns a new, validated model and leaves the original alone."""
    hh = HodgkinHuxley()
    hot = hh.replace(temperature=20.0)
    assert hot.temperature == 20.0 and hh.temperature == 6.3
    with pytest.raises(ValueError, match="g_Na"):
        hh.replace(g_Na=-1.0)
