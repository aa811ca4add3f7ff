"""Tests of the explorer and the playground (the course's front page).

Each check compares what the figure shows with a direct call of :mod:`neurolab`
(simulate, analysis.fixed_points, analysis.fi_curve, analysis.bifurcation_diagram), so a
widget can never show numbers of its own; the LIF F-I curve is also checked against the
closed-form rate of the model (Lapicque's integrate-and-fire, e.g. Gerstner et al. 2014,
Neuronal Dynamics, eq. 1.11).
"""

from __future__ import annotations

import numpy as np
import pytest

from neurolab import analysis as an
from neurolab import stimulus as S
from neurolab.models import FIRING_PATTERNS, LIF, MODELS, HodgkinHuxley, Izhikevich
from neurolab.simulate import simulate
from neurolab.widgets import explorer, playground
from neurolab.widgets.explorer import FI_DURATION, Explorer, resolve_model


@pytest.fixture(scope="module")
def pg():
    """One playground shared by the tests (each model switch rebuilds it in place)."""
    return playground()


def _line(app: Explorer) -> tuple[np.ndarray, np.ndarray]:
    x, y = app.panels["trace"].handle["line"].get_data()
    return np.asarray(x), np.asarray(y)


def _expected_trace(app: Explorer):
    """The run the explorer should show: its model, a step of I at 10 % of the run."""
    T = float(app.duration.value)
    return simulate(app.model_from_controls(), T,
                    current=S.step(float(app.current.value), start=round(0.1 * T, 6)))


def _check_fixed_points(app: Explorer) -> None:
    panel = app.panels["phase"]
    model, I = app.model, app.I_plane
    if model.n_states == 1:
        expected = an.fixed_points(model, I, panel.xlim)
    else:
        expected = an.fixed_points(model, I, panel.xlim, panel.ylim, reduced=panel.reduced)
    shown = panel.points
    assert [p.kind for p in shown] == [p.kind for p in expected]
    for a, b in zip(shown, expected, strict=True):
        np.testing.assert_allclose(a.state, b.state, rtol=1e-9, atol=1e-12)


def _no_stale_artists(app: Explorer) -> None:
    axes = set(app.figure.axes)
    assert app.view._dynamic, "no dynamic artists registered"
    for artist in app.view._dynamic:
        assert artist.axes in axes, f"stale artist {artist!r} from a removed axes"


@pytest.mark.parametrize("name", list(MODELS))
def test_every_model_builds_redraws_and_matches_neurolab(pg, name):
    """For each model: the trace is the run neurolab.simulate gives, at the old and at a
    new current; the phase panel's fixed points are analysis.fixed_points at that current;
    the figure is a PNG and no artist of a previous model is left."""
    pg.select(name)
    app = pg.explorer
    assert app.error == ""
    assert type(app.model) is MODELS[name]
    t, v = _line(app)
    ref = _expected_trace(app)
    np.testing.assert_allclose(t, ref.t)
    np.testing.assert_allclose(v, ref.states[ref.model.state_names[0]])
    _check_fixed_points(app)
    old = v.copy()
    lo, hi = type(app.model).current_range
    app.current.value = float(app.current.value) + 0.05 * (hi - lo)
    assert app.error == ""
    t, v = _line(app)
    ref = _expected_trace(app)
    np.testing.assert_allclose(v, ref.states[ref.model.state_names[0]])
    assert not np.array_equal(v, old)
    assert app.I_plane == pytest.approx(app.current.value)
    _check_fixed_points(app)
    _no_stale_artists(app)
    assert len(app.figure.axes) == 3  # voltage, current, phase panel
    assert app.view.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_hh_phase_plane_is_the_reduced_plane_with_the_full_trajectory(pg):
    """Hodgkin-Huxley is shown in its reduced (V, n) plane; the trajectory drawn is the
    full four-dimensional run projected on (V, n)."""
    pg.select("Hodgkin-Huxley")
    app = pg.explorer
    panel = app.panels["phase"]
    assert panel.reduced == "h(n)"
    xy = np.asarray(panel.handle["trajectory"].get_xydata())
    k = int(np.ceil(app.trace.t.size / 1500))
    np.testing.assert_allclose(xy[:, 0], app.trace.V[::k])
    np.testing.assert_allclose(xy[:, 1], app.trace.n[::k])


def test_bad_parameters_show_an_error_and_the_app_recovers(pg):
    """LIF with V_reset at V_th is invalid: the message names the parameter, the last
    good figure stays; fixing it clears the message and redraws."""
    pg.select("Leaky integrate-and-fire")
    app = pg.explorer
    app.params["V_th"].value = -60.0
    before = _line(app)[1].copy()
    app.params["V_reset"].value = -55.0
    assert "V_reset" in app.error and "V_th" in app.error
    np.testing.assert_array_equal(_line(app)[1], before)
    app.params["V_reset"].value = -70.0
    assert app.error == ""
    assert app.model.V_reset == -70.0 and app.model.V_th == -60.0
    ref = _expected_trace(app)
    np.testing.assert_allclose(_line(app)[1], ref.V)
    _check_fixed_points(app)


def test_reset_button_restores_the_defaults(pg):
    pg.select("Leaky integrate-and-fire")
    app = pg.explorer
    app.params["tau_m"].value = 20.0
    assert app.model.tau_m == 20.0
    pg.reset_button.click()
    assert app.model == LIF()
    assert app.error == ""


def test_izhikevich_pattern_uses_the_published_stimulus(pg):
    """Picking a firing pattern of Izhikevich (2004) runs its published stimulus, initial
    state, method and step; the other kinds return when a cell type is picked."""
    pg.select("Izhikevich")
    app = pg.explorer
    app.preset.value = "tonic bursting"
    p = FIRING_PATTERNS["tonic bursting"]
    assert app.stimulus.value == "published" and app.error == ""
    ref = simulate(p.model, p.duration, current=p.stimulus, y0=p.y0, method=p.method,
                   dt=p.dt)
    np.testing.assert_allclose(_line(app)[1], ref.v)
    np.testing.assert_allclose(app.trace.spike_times, ref.spike_times)
    app.preset.value = "FS"
    assert app.stimulus.value == "step" and "published" not in app.stimulus.options
    assert app.model == Izhikevich.preset("FS")


@pytest.mark.parametrize("kind", ["constant", "pulses", "ramp", "sine", "noise"])
def test_every_stimulus_kind_runs(pg, kind):
    pg.select("FitzHugh-Nagumo")
    app = pg.explorer
    app.stimulus.value = kind
    assert app.error == ""
    settings = app.run_settings(app.model)
    ref = simulate(app.model, float(app.duration.value), current=settings["current"])
    np.testing.assert_allclose(_line(app)[1], ref.v)
    app.stimulus.value = "step"


def test_fi_marker_moves_and_curve_matches_fi_curve_and_the_lif_formula():
    """The F-I panel shows analysis.fi_curve (runs of FI_DURATION ms); for LIF it agrees
    with the closed-form rate 1 / (t_ref + tau_m ln((RI + E_L - V_reset) / (RI + E_L -
    V_th))) within the resolution of the ISI estimate. The marker follows the slider."""
    app = explorer("Leaky integrate-and-fire", panels=("trace", "phase", "fi"))
    app.job.wait(60)
    app.job.synchronous = True
    panel = app.panels["fi"]
    expected = an.fi_curve(LIF(), panel.currents, duration=FI_DURATION)
    np.testing.assert_allclose(panel.rates, expected)
    firing = expected > 0
    np.testing.assert_allclose(panel.rates[firing], LIF().rate(panel.currents[firing]),
                               rtol=0.03)
    app.current.value = 3.5
    assert panel.handle["marker"].get_xdata()[0] == pytest.approx(3.5)
    # A parameter change recomputes the curve (synchronously here).
    app.params["tau_m"].value = 20.0
    np.testing.assert_allclose(panel.rates,
                               an.fi_curve(LIF(tau_m=20.0), panel.currents,
                                           duration=FI_DURATION))


def test_bifurcation_panel_shows_the_diagram_and_the_marker_moves():
    app = explorer("Izhikevich", panels=("phase", "bifurcation"))
    app.job.wait(120)
    panel = app.panels["bifurcation"]
    diagram = an.bifurcation_diagram(app.model, Izhikevich.current_range)
    shown = panel.handle["points"].get_offsets()
    np.testing.assert_allclose(shown[:, 0], [b.I for b in diagram.bifurcations])
    app.current.value = 7.0
    assert panel.marker.get_xdata()[0] == pytest.approx(7.0)
    assert app.error == ""


def test_trace_only_explorer_and_bad_arguments():
    app = explorer(HodgkinHuxley(), I=10.0, duration=100.0, panels=("trace",))
    assert list(app.panels) == ["trace"] and app.error == ""
    assert app.current.value == 10.0 and len(app.trace.spike_times) > 0
    with pytest.raises(ValueError, match="model"):
        resolve_model("Hodgkin")
    with pytest.raises(ValueError, match="panels"):
        explorer("LIF", panels=("trace", "raster"))
    with pytest.raises(ValueError, match="preset"):
        explorer("LIF", preset="nope")


def test_phase_line_axes_name_the_models_state():
    """The phase line's axes carry the first state's name and unit and the model's time
    unit: V (mV) and dV/dt (mV/ms) for the LIF; for a model of a state c in uM with time
    in s, c (uM) and dc/dt (uM/s)."""
    ex = explorer(LIF(), panels=("phase",))
    ax = ex.panels["phase"].ax
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("V (mV)", "dV/dt (mV/ms)")
    from neurolab.models import define_model

    conc = define_model("PhaseLineConcentration", "dc/dt = (I - c) / tau",
                        {"tau": 2.0, "c_th": 5.0, "c_r": 0.0}, units={"c": "uM"},
                        time_unit="s", current_unit="uM", threshold="c >= c_th",
                        reset="c = c_r", register_model=False)
    ex = explorer(conc(), I=1.0, panels=("phase",))
    panel = ex.panels["phase"]
    assert ex.error == ""
    assert (panel.ax.get_xlabel(), panel.ax.get_ylabel()) == ("c (uM)", "dc/dt (uM/s)")
    assert panel.describe().startswith("phase line at I = 1 uM: stable")
    assert "c = 1 uM" in panel.describe() and "reset 5 → 0 uM" in panel.describe()
