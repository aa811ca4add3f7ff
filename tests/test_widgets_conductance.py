"""Tests of the conductance-based dashboards (neurolab.widgets.conductance).

Each app must show what neurolab computes (compared with direct calls) and be checked
against an independent result: the RC charging curve against the engine's simulation of
a passive membrane (closed form of a linear ODE); I_Na,p's phase line against its
equations (Izhikevich 2007, ch. 4: rest, threshold and an upper state at I = 0) and its
saddle-node against the minimum of dV/dt; the cable's profile against Rall's closed form
(Koch 1999, ch. 2) and the finite-difference simulation's late state.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from neurolab.analysis import fixed_points
from neurolab.models import LIF, INaP, INaPK, define_model
from neurolab.models.cable import PassiveCable, steady_state
from neurolab.simulate import simulate
from neurolab.stimulus import step
from neurolab.widgets.conductance import (
    CABLE_I,
    CABLE_POINTS,
    RC_START,
    RC_STOP,
    cable_explorer,
    passive_step_response,
    persistent_sodium_line,
    rc_circuit,
)

PNG = b"\x89PNG\r\n\x1a\n"
#: The passive membrane of the RC figure: a LIF whose threshold no step reaches.
PASSIVE = LIF(V_th=100.0, t_ref=0.0)
#: The I_Na,p figure: the model, a threshold out of reach for the run without reset.
NO_RESET = {"V_peak": 150.0}


# ----------------------------------------------------------------------------- RC
@pytest.fixture(scope="module")
def rc():
    return rc_circuit(PASSIVE)


def test_rc_shows_simulation_and_closed_form(rc):
    """The simulated line is simulate() of the passive LIF; the closed-form line agrees
    with it (RK4 of a linear ODE vs its exact solution) to 0.1 % of R I (the step's
    edges fall on the time grid, where a fixed-step scheme is first order); tau = R C."""
    rc.R.value, rc.C.value, rc.I.value = 30.0, 0.5, 0.8
    rc._redraw_and_refresh()
    assert rc.controls[0] is rc.R and rc.error == ""
    model = LIF(tau_m=15.0, R=30.0, V_th=100.0, t_ref=0.0)
    tr = simulate(model, rc.duration, current=step(0.8, RC_START, RC_STOP))
    np.testing.assert_allclose(rc.sim_line.get_ydata(), tr.V)
    v_ana = rc.ana_line.get_ydata()
    np.testing.assert_allclose(v_ana, passive_step_response(tr.t, 30.0, 0.5, 0.8, RC_START,
                                                            RC_STOP, model.E_L))
    assert np.max(np.abs(v_ana - tr.V)) < 1e-3 * 30.0 * 0.8
    assert rc.tau == pytest.approx(15.0)
    assert rc.tau_pt.get_xdata()[0] == pytest.approx(RC_START + 15.0)
    # at t = onset + tau the membrane has covered 1 - 1/e of the way to E_L + R I
    assert rc.tau_pt.get_ydata()[0] == pytest.approx(-65.0 + 24.0 * (1 - 1 / math.e))
    assert tr.spike_times.size == 0
    assert rc.view.image.value[:8] == PNG


def test_rc_first_slider_changes_image(rc):
    before = rc.view.image.value
    rc.R.value = rc.R.value + rc.R.step
    assert rc.view.image.value != before


def test_rc_error_then_recovers(rc):
    """A bad run length shows a message naming it; the app works again afterwards."""
    good = rc.duration
    rc.duration = -5.0
    rc.update()
    assert "duration" in rc.error
    rc.duration = good
    rc.I.value = 0.3
    assert rc.error == ""
    R, C = rc.R.value, rc.C.value
    t, v = rc.sim_line.get_data()
    ref = passive_step_response(t, R, C, 0.3, RC_START, RC_STOP)
    assert np.max(np.abs(v - ref)) < 1e-3 * R * 0.3


def test_rc_refuses_a_membrane_that_fires_or_is_not_leaky():
    """A LIF whose threshold the step reaches fires: the app says so; a model without
    R and tau_m is refused by name."""
    app = rc_circuit(LIF())                      # V_th = -50 mV: 20 MOhm x 1 nA reaches it
    assert "fired" in app.error
    app.I.value = 0.5                            # E_L + R I = -55 mV: below threshold
    assert app.error == ""
    with pytest.raises(ValueError, match="'R' and 'tau_m'"):
        rc_circuit(INaP())


def test_passive_step_response_is_the_analysis_function():
    """The widget module re-exports the closed form from neurolab.analysis (tested in
    tests/test_passive.py) rather than computing its own."""
    from neurolab.analysis import passive_step_response as from_analysis

    assert passive_step_response is from_analysis


# ----------------------------------------------------------------------------- I_Na,p
@pytest.fixture(scope="module")
def inap():
    return persistent_sodium_line(INaP(), V0=-50.0, no_reset=NO_RESET, I_range=(-5.0, 10.0))


def test_inap_phase_line_at_rest(inap):
    """At I = 0: rest (stable), threshold (unstable) and the upper state (stable), as
    fixed_points finds them; the curve is the model's dV/dt; every equilibrium is a zero
    of it (Izhikevich 2007, ch. 4, Fig. 4.4: three equilibria below the saddle-node)."""
    inap.I.value = 0.0
    inap._redraw_and_refresh()
    m = INaP()
    lo, hi = inap.vlim
    assert lo < -70.0 and hi > 17.8              # reset, rest, threshold and upper state
    pts = fixed_points(m, 0.0, (-90.0, 30.0))
    assert [p.kind for p in inap.points] == ["stable node", "unstable node", "stable node"]
    np.testing.assert_allclose([p.state[0] for p in inap.points], [p.state[0] for p in pts])
    for p in inap.points:
        assert abs(m.rhs(p.state, 0.0)[0]) < 1e-8
    V, dV = inap.f_line.get_data()
    np.testing.assert_allclose(dV, m.rhs(np.asarray(V)[None, :], 0.0)[0])
    assert len(inap.stable.get_offsets()) == 2 and len(inap.unstable.get_offsets()) == 1
    assert inap.view.image.value[:8] == PNG


def test_inap_saddle_node_and_traces(inap):
    """At the saddle-node current the minimum of dV/dt between rest and threshold is 0
    (independent check of the bifurcation analysis); above it rest and threshold are
    gone and the reset model fires repeatedly, while without the reset V climbs to the
    upper state and stays there."""
    m = INaP()
    res = minimize_scalar(lambda v: m.rhs(np.array([v]), inap.I_sn)[0], bounds=(-70, -50),
                          method="bounded", options={"xatol": 1e-8})
    assert res.fun == pytest.approx(0.0, abs=1e-3)
    inap.I.value, inap.V0.value = 0.0, -50.0
    inap._redraw_and_refresh()
    assert inap.trace.spike_times.size == 1            # one spike, then back to rest
    assert inap.trace.V[-1] == pytest.approx(inap.points[0].state[0], abs=0.05)
    assert inap.trace_no_reset.V[-1] == pytest.approx(inap.points[-1].state[0], abs=0.05)
    assert inap.no_reset == m.replace(**NO_RESET)
    inap.I.value = round(inap.I_sn + 1.0, 2)
    inap._redraw_and_refresh()
    assert len(inap.points) == 1 and inap.points[0].state[0] > m.V_peak
    assert inap.trace.spike_times.size >= 3
    direct = simulate(m, inap.duration, current=inap.I.value, y0=[inap.V0.value])
    np.testing.assert_allclose(inap.tr_line.get_ydata(), direct.V)


def test_inap_bad_arguments():
    with pytest.raises(ValueError, match="model must be a model with 1 state"):
        persistent_sodium_line(INaPK())
    with pytest.raises(ValueError, match="no_reset must be parameter changes"):
        persistent_sodium_line(INaP(), no_reset={"V_top": 150.0})
    with pytest.raises(ValueError, match="threshold and reset"):
        persistent_sodium_line(define_model("Leak1", "dV/dt = -V + I", {"g": 1.0},
                                            register_model=False)())


def test_inap_first_slider_and_error(inap):
    before = inap.view.image.value
    inap.I.value = inap.I.value + inap.I.step
    assert inap.view.image.value != before
    inap.duration = 0.0
    inap.update()
    assert "duration" in inap.error
    inap.duration = 20.0
    inap.I.value = 0.0
    assert inap.error == ""


# ----------------------------------------------------------------------------- cable
@pytest.fixture(scope="module")
def cable_app():
    return cable_explorer(PassiveCable())


def test_cable_profile_and_lambda(cable_app):
    """Steady state from steady_state(); lambda = sqrt(d R_m / 4 R_i) = 1000 um for
    d = 2 um, R_m = 20 kOhm cm2, R_i = 100 Ohm cm (worked by hand:
    sqrt(2e-4 cm x 2e4 Ohm cm2 / 400 Ohm cm) = 0.1 cm); after 7.5 tau the simulation
    has reached the closed form."""
    app = cable_app
    assert app.controls[0] is app.sliders["diameter"] and app.error == ""
    c = app.cable
    assert c.length_constant == pytest.approx(1000.0)
    assert list(app.lam_line.get_xdata()) == pytest.approx([1000.0, 1000.0])
    x = c.grid()
    v = steady_state(c, CABLE_I, x) - c.E_L
    np.testing.assert_allclose(app.ss_line.get_ydata(), v / v[0])
    late = app.result.V[-1] - c.E_L
    np.testing.assert_allclose(late / v[0], v / v[0], atol=2e-3)
    # sealed end: the profile decays less than the infinite cable's e^(-x/lambda)
    assert app.ss_line.get_ydata()[-1] > np.exp(-c.length / c.length_constant)
    # V at x = 0 over time reaches its steady value
    assert app.spots[0].get_ydata()[-1] == pytest.approx(1.0, abs=2e-3)
    assert app.view.image.value[:8] == PNG


def test_cable_sliders_change_lambda(cable_app):
    """lambda grows as sqrt(d): four times the diameter, twice the length constant."""
    app = cable_app
    before = app.view.image.value
    app.sliders["diameter"].value = 8.0
    assert app.cable.length_constant == pytest.approx(2000.0)
    assert app.cable.n_compartments == CABLE_POINTS
    assert app.view.image.value != before
    app.sliders["length"].value = 3000.0
    assert app.ax_x.get_xlim() == (0.0, 3000.0)
    app.sliders["diameter"].value = 2.0
    app.sliders["length"].value = 1000.0


def test_cable_error_then_recovers(cable_app):
    app = cable_app
    s = app.sliders["diameter"]
    s.min = 0.0
    s.value = 0.0
    assert "diameter" in app.error
    s.value = 2.0
    s.min = 0.2
    assert app.error == ""
    assert isinstance(app.cable, PassiveCable)
    with pytest.raises(ValueError, match="cable must be"):
        cable_explorer(LIF())
