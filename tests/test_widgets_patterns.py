"""Tests of the pattern gallery (neurolab.widgets.patterns).

On Izhikevich's model the gallery must replay each protocol exactly as neurolab runs it
(the published stimulus, initial state, method and time step of Izhikevich 2004, Fig. 1,
from ``FIRING_PATTERNS``; a step of I = 10 from rest for the cell types of Izhikevich
2003, which carry no stimulus), and its phase plane must agree with the model's closed
forms (Izhikevich 2003: v-nullcline u = 0.04 v^2 + 5 v + 140 + I, u-nullcline u = b v;
equilibria where they cross). A small adaptive exponential model defined here with two
stimulus presets shows that the gallery needs nothing but presets with stimuli.
"""

from __future__ import annotations

import numpy as np
import pytest

from neurolab import stimulus as S
from neurolab.analysis import fixed_points
from neurolab.models import FIRING_PATTERNS, Izhikevich, Preset, define_model
from neurolab.simulate import simulate
from neurolab.widgets.patterns import STEP_ONSET, izhikevich_patterns, pattern_gallery

PNG = b"\x89PNG\r\n\x1a\n"
#: Izhikevich (2003): the cell types are shown with a step of I = 10 (model units).
CORTICAL_STEP = 10.0


@pytest.fixture(scope="module")
def app():
    return pattern_gallery(Izhikevich, "tonic spiking", params=("a", "b", "c", "d"))


def test_every_protocol_listed(app):
    P = app.protocols
    assert list(P)[:20] == list(FIRING_PATTERNS)        # the 2004 patterns first
    assert {"RS", "IB", "CH", "FS", "LTS", "TC", "RZ"} <= set(P)
    assert len(P) == 27
    for name, f in FIRING_PATTERNS.items():
        p = P[name]
        assert (p.model, p.duration, p.method, p.dt) == (f.model, f.duration, f.method,
                                                         f.dt)
        np.testing.assert_array_equal(p.y0, f.y0)
        t = np.linspace(0.0, f.duration, 997)
        np.testing.assert_array_equal(p.stimulus(t), f.stimulus(t))
    rs = P["RS"]
    assert float(rs.stimulus(STEP_ONSET - 1.0)) == 0.0
    assert float(rs.stimulus(50.0)) == CORTICAL_STEP
    np.testing.assert_allclose(rs.y0, Izhikevich.preset("RS").rest(0.0))
    assert rs.duration == 200.0


def test_first_slider_is_a_and_changes_image(app):
    assert app.controls[0] is app.params["a"] and app.error == ""
    assert list(app.params) == ["a", "b", "c", "d"]
    before = app.view.image.value
    app.params["a"].value = app.params["a"].value + app.params["a"].step
    assert app.view.image.value[:8] == PNG and app.view.image.value != before
    app.params["a"].value = 0.02


@pytest.mark.parametrize("name", ["tonic bursting", "rebound burst", "accommodation", "FS"])
def test_replays_protocol(app, name):
    """Picking a protocol sets a, b, c, d to the published values and the trace is the
    one simulate() gives with that protocol's stimulus, y0, method and dt."""
    app.pattern.value = name
    p = app.protocols[name]
    for key, s in app.params.items():
        assert s.value == pytest.approx(getattr(p.model, key))
    assert app.model == p.model
    direct = simulate(p.model, p.duration, dt=p.dt, current=p.stimulus, y0=p.y0,
                      method=p.method)
    assert app.trace.method == p.method
    np.testing.assert_allclose(app.h_trace["line"].get_ydata(), direct.v)
    np.testing.assert_allclose(app.trace.spike_times, direct.spike_times)
    assert app.ax_v.get_xlim() == (0.0, p.duration)
    assert app.error == ""


def test_phase_plane_closed_forms(app):
    """Nullclines and equilibria at the current of the chosen moment agree with the
    closed forms of the 2003 model; kinds as fixed_points classifies them."""
    app.pattern.value = "RS"
    app.moment.value = 5.0          # before the step: I = 0, the cell rests
    m = app.model
    assert app.h_pp.I == 0.0
    for seg in app.h_pp["x_nullcline"].get_segments():
        v, u = seg[:, 0], seg[:, 1]
        np.testing.assert_allclose(u, 0.04 * v**2 + 5 * v + 140 + 0.0, atol=1e-9)
    for seg in app.h_pp["y_nullcline"].get_segments():
        np.testing.assert_allclose(seg[:, 1], m.b * seg[:, 0], atol=1e-9)
    # equilibria: roots of 0.04 v^2 + (5 - b) v + 140 = 0
    roots = np.sort(np.roots([0.04, 5 - m.b, 140.0]).real)
    np.testing.assert_allclose([fp.state[0] for fp in app.h_pp.points], roots, rtol=1e-9)
    expected = fixed_points(m, 0.0, app.h_pp.xlim, app.h_pp.ylim)
    assert [fp.kind for fp in app.h_pp.points] == [fp.kind for fp in expected]
    assert app.h_pp.points[0].kind.startswith("stable")
    # during the step (I = 10 > saddle-node current 4) there is no equilibrium
    assert m.saddle_node_current() == pytest.approx((5 - 0.2) ** 2 / 0.16 - 140)
    assert f"{m.saddle_node_current():.2f}" in app.sn_text.get_text()
    app.moment.value = 100.0
    assert app.h_pp.I == CORTICAL_STEP and app.h_pp.points == []
    k = int(np.searchsorted(app.trace.t, 100.0))
    assert list(app.here.get_xdata()) == [app.trace.v[k]]


def test_parameter_sliders_change_model(app):
    """Moving d changes the model the app runs, and the run follows it."""
    app.pattern.value = "tonic spiking"
    app.params["d"].value = 2.0
    assert app.model == FIRING_PATTERNS["tonic spiking"].model.replace(d=2.0)
    p = app.protocols["tonic spiking"]
    direct = simulate(app.model, p.duration, dt=p.dt, current=p.stimulus, y0=p.y0)
    np.testing.assert_allclose(app.trace.v, direct.v)


def test_error_then_recovers(app):
    """A reset c above the spike cut-off is refused with a message; the app recovers."""
    c = app.params["c"]
    c.max = 40.0
    c.value = 35.0
    assert "c" in app.error and "v_peak" in app.error
    c.value = -65.0
    c.max = -40.0
    assert app.error == ""
    assert isinstance(app.model, Izhikevich)


def test_bad_arguments():
    with pytest.raises(ValueError, match="pattern must be one of"):
        pattern_gallery(Izhikevich, "no such pattern")
    with pytest.raises(ValueError, match="params must name parameters"):
        pattern_gallery(Izhikevich, params=("a", "e"))
    with pytest.raises(ValueError, match="model must be a neurolab model"):
        pattern_gallery("Izhikevich")
    plain = define_model("PlainLeak", "dV/dt = (-V + I) / 10", {"g": 1.0},
                         presets={"rest": {}}, register_model=False)
    with pytest.raises(ValueError, match="presets carry a stimulus"):
        pattern_gallery(plain)


def test_label_and_alias():
    """A preset is found by its label too; the old name is the same factory."""
    a = izhikevich_patterns(Izhikevich, "pattern C: tonic bursting")
    assert a.pattern.value == "tonic bursting" and a.error == ""
    assert izhikevich_patterns is pattern_gallery


# ----------------------------------------------------------------------------- any model
#: An adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005 form, with
#: round parameters of its own), its two stimulus presets a tonic and an adapting cell.
_TOY = define_model(
    "GalleryToyAdEx",
    """
    dV/dt = (-(V - E_L) + D * exp((V - V_T) / D) - w + I) / tau
    dw/dt = (a * (V - E_L) - w) / tau_w
    """,
    {"tau": 20.0, "E_L": -70.0, "V_T": -50.0, "D": 2.0, "a": 0.0, "tau_w": 100.0,
     "b": 0.0, "V_r": -58.0, "V_peak": -40.0},
    current_unit="mV",
    threshold="V >= V_peak",
    reset="V = V_r; w = w + b",
    presets={
        "tonic": Preset({"b": 0.0}, "tonic spiking", S.step(30.0, start=20.0), 300.0,
                        note="a step of 30 from 20 ms"),
        "adapting": Preset({"b": 5.0, "tau_w": 200.0}, "adaptation",
                           S.step(30.0, start=20.0), 300.0, y0=(-70.0, 0.0), method="rk2",
                           dt=0.02, note="the same step, with a spike-triggered w"),
        "quiet": {},
    },
    start_current=25.0,
    start_duration=150.0,
    plane_window=((-75.0, -35.0), (-5.0, 60.0)),
    register_model=False,
)


def test_gallery_of_a_model_defined_here():
    """The two stimulus presets are listed first and replayed with their own stimulus,
    initial state (rest when none is given), method and step; the preset without one
    gets a step of start_current at STEP_ONSET; the sliders are the parameters the
    presets set; adaptation lengthens the intervals."""
    app = pattern_gallery(_TOY)
    assert list(app.protocols) == ["tonic", "adapting", "quiet"]
    assert [o[0] for o in app.pattern.options] == ["tonic spiking", "adaptation", "quiet"]
    assert list(app.params) == ["tau_w", "b"]
    assert app.pattern.value == "tonic" and app.error == ""
    rest = _TOY().initial_state(0.0)
    runs = {}
    for name in ("tonic", "adapting", "quiet"):
        app.pattern.value = name
        p = app.protocols[name]
        model = _TOY.preset(name)
        info = _TOY.preset_info(name)
        y0 = rest if info.y0 is None else np.array(info.y0)
        stim = info.stimulus if info.stimulus is not None else S.step(25.0, start=STEP_ONSET)
        duration = info.duration or 150.0
        direct = simulate(model, duration, current=stim, y0=y0,
                          method=info.method or model.default_method,
                          dt=info.dt or model.default_dt)
        assert app.model == model and app.trace.method == direct.method
        np.testing.assert_allclose(app.trace.V, direct.V)
        np.testing.assert_allclose(app.h_trace["line"].get_ydata(), direct.V)
        np.testing.assert_array_equal(p.y0, y0)
        assert app.error == "" and app.view.image.value[:8] == PNG
        runs[name] = direct
    isi_tonic = np.diff(runs["tonic"].spike_times)
    isi_adapt = np.diff(runs["adapting"].spike_times)
    assert isi_tonic.size > 3 and np.ptp(isi_tonic[1:]) < 1e-6 * isi_tonic[1]
    assert isi_adapt[-1] > 1.5 * isi_adapt[0]
    # its phase plane is the model's: equilibria at the moment's current
    app.pattern.value = "tonic"
    app.moment.value = 10.0                    # before the step: I = 0
    expected = fixed_points(app.model, 0.0, app.h_pp.xlim, app.h_pp.ylim)
    np.testing.assert_allclose([fp.state for fp in app.h_pp.points],
                               [fp.state for fp in expected])
    assert app.sn_text.get_text() == ""        # no closed-form saddle-node: nothing shown


def test_gallery_of_a_one_state_model_uses_the_phase_line():
    lif = define_model(
        "GalleryToyLIF", "dV/dt = (-(V + 65) + I) / 10", {"V_th": -50.0, "V_r": -65.0},
        current_unit="mV", threshold="V >= V_th", reset="V = V_r",
        presets={"steady": Preset({}, "steady", S.step(20.0, start=10.0), 100.0)},
        register_model=False)
    app = pattern_gallery(lif)
    assert app.line is not None and app.error == ""
    app.moment.value = 5.0
    assert [fp.state[0] for fp in app.line.points] == pytest.approx([-65.0])
