"""Tests of the phase-portrait and trace-determinant apps (neurolab.widgets.phase_portrait).

The apps are built headless; each test sets controls, redraws synchronously and compares
the artists' data with a direct call of :mod:`neurolab.analysis` (the reference is the
analysis function itself; the widget must show exactly its numbers).
"""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.analysis import basins, classify, fixed_points, nullclines, separatrix
from neurolab.models import FitzHughNagumo, INaPK
from neurolab.widgets.phase_portrait import (
    SCENARIOS,
    phase_portrait,
    trace_determinant_explorer,
)

PNG = b"\x89PNG"


def _offsets(app, kind):
    return np.asarray(app.handle.artists["fixed_points"][kind].get_offsets())


def test_current_slider_is_first_and_moves_the_nullcline():
    """The first control is I; one step moves the v-nullcline of FitzHugh-Nagumo by the
    step (w = v - v^3/3 + I: a vertical shift by exactly dI) and changes the image."""
    app = phase_portrait()
    assert app.controls[0] is app.I
    before = [s.copy() for s in app.handle.artists["x_nullcline"].get_segments()]
    png = app.view.image.value
    app.I.value = app.I.value + app.I.step
    app._redraw_and_refresh()
    after = app.handle.artists["x_nullcline"].get_segments()
    ref = nullclines(FitzHughNagumo(), app.I.value, (-2.5, 2.5), (-1.0, 3.0)).x_nullcline
    assert len(after) == len(ref)
    for a, r in zip(after, ref, strict=True):
        np.testing.assert_allclose(a, r)
    assert not np.allclose(before[0][:, 1][: len(after[0])], after[0][:, 1][: len(before[0])])
    assert app.view.image.value[:4] == PNG and app.view.image.value != png


def test_fixed_points_and_kind_words_match_analysis():
    """I_Na,p+I_K high-threshold at I = 0: the markers and the kind words are those of
    neurolab.analysis.fixed_points (stable node, saddle, unstable focus)."""
    app = phase_portrait("I_Na,p+I_K high-threshold (saddle-node)")
    ref = fixed_points(INaPK(), 0.0, (-80.0, 10.0), (-0.1, 0.7))
    assert [fp.kind for fp in ref] == ["stable node", "saddle", "unstable focus"]
    for fp in ref:
        assert np.any(np.all(np.isclose(_offsets(app, fp.kind), fp.state), axis=1))
    words = [t.get_text() for t in app.kind_texts if t.get_visible()]
    assert words == [fp.kind for fp in ref]
    assert "saddle at V = -56" in app.summary.value


def test_layers_switch_off_and_on():
    """Each check box hides its layer; the trajectory starts at the start sliders."""
    app = phase_portrait()
    a = app.handle.artists
    for key, art in (("field", a["field"]), ("nullclines", a["x_nullcline"]),
                     ("fixed_points", a["fixed_points"]["stable focus"])):
        app.layers[key].value = False  # the observer redraws (no event loop here)
        assert not art.get_visible()
        app.layers[key].value = True
        assert art.get_visible()
    app.x0.value, app.y0.value = 1.0, 0.5
    x, y = a["trajectory"].get_data()
    assert (x[0], y[0]) == pytest.approx((1.0, 0.5), abs=1e-9)
    app.layers["trajectory"].value = False
    assert len(a["trajectory"].get_data()[0]) == 0
    app.layers["fan"].value = True
    assert len(app.fan.get_segments()) == 8


def test_basins_and_separatrix_in_the_bistable_setting():
    """Fast potassium gate (tau = 0.16 ms), I = 4: rest and repetitive spiking coexist.
    The background job shows the labels of neurolab.analysis.basins on the same grid and
    the saddle's stable manifold from neurolab.analysis.separatrix; both attractors have
    a basin."""
    sc = SCENARIOS["I_Na,p+I_K bistable (tau = 0.16 ms)"]
    app = phase_portrait(sc.title, layers={"basins": False}, basin_grid=30)
    app.job.synchronous = True
    app.layers["basins"].value = True
    app._redraw_and_refresh()
    assert app.error == ""
    _X, _Y, labels, att = basins(sc.model, sc.I, sc.xlim, sc.ylim, n=30)
    np.testing.assert_array_equal(app.basin_labels, labels)
    assert [a if isinstance(a, str) else a.kind for a in app.basin_attractors] == \
        ["stable node", "spiking"]
    assert set(np.unique(labels)) >= {0, 1}
    ref = separatrix(sc.model, sc.I, xlim=sc.xlim, ylim=sc.ylim)
    got = app.separatrix.get_segments()
    assert len(got) == len(ref)
    for g, r in zip(got, ref, strict=True):
        np.testing.assert_allclose(g, r)
    assert app.basin_image.get_visible() and "spiking" in app.summary.value


def test_picker_switches_model_and_window():
    """Choosing another model rebuilds the plane with its state names and window."""
    app = phase_portrait()
    app.picker.value = "Izhikevich RS"
    app._redraw_and_refresh()
    assert app.error == ""
    assert app.ax.get_xlim() == SCENARIOS["Izhikevich RS"].xlim
    assert app.ax.get_xlabel().startswith("v")
    assert app.x0.min == -90.0 and app.I.value == 0.0
    assert {t.get_text() for t in app.kind_texts if t.get_visible()} == {"stable node",
                                                                         "saddle"}


def test_bad_value_shows_an_error_and_the_app_recovers():
    """A start far outside the window makes the FitzHugh-Nagumo run blow up (v^3); the
    guard shows SimulationDiverged as a message beside the controls, not a traceback,
    and a good value clears it and redraws."""
    app = phase_portrait()
    app.x0.max = 1e8
    app.x0.value = 1e8  # the observer redraws through the guard (no event loop here)
    assert "diverge" in app.error.lower()
    app.x0.value = 0.5
    assert app.error == ""
    x, _y = app.handle.artists["trajectory"].get_data()
    assert x[0] == pytest.approx(0.5)
    assert app.view.image.value[:4] == PNG


def test_factory_rejects_bad_arguments():
    """Unknown model names, layers and grid sizes raise ValueError naming them."""
    with pytest.raises(ValueError, match="model"):
        phase_portrait("no such model")
    with pytest.raises(ValueError, match="layers"):
        phase_portrait(layers={"colour": True})
    with pytest.raises(ValueError, match="basin_grid"):
        phase_portrait(basin_grid=3)
    with pytest.raises(ValueError, match="J11"):
        trace_determinant_explorer(J11=5.0)


def test_custom_two_dimensional_model():
    """Any two-dimensional model works; its window comes from its equilibria. a = 0,
    b = 2, I = 0: three equilibria (v = 0 and +-sqrt(3/2), roots of v/2 - v^3/3)."""
    model = FitzHughNagumo(a=0.0, b=2.0)
    app = phase_portrait(model, I=0.0)
    assert app.error == ""
    ref = fixed_points(model, 0.0, app.scenario.xlim, app.scenario.ylim)
    assert [fp.kind for fp in app.handle.points] == [fp.kind for fp in ref]
    np.testing.assert_allclose([fp.state[0] for fp in app.handle.points],
                               [-np.sqrt(1.5), 0.0, np.sqrt(1.5)], atol=1e-9)


@pytest.mark.parametrize("entries, kind", [
    ((-1.0, 0.0, 0.0, -2.0), "stable node"),
    ((1.0, 0.0, 0.0, 2.0), "unstable node"),
    ((-0.5, -1.0, 1.0, -0.5), "stable focus"),
    ((0.5, -1.0, 1.0, 0.5), "unstable focus"),
    ((1.0, 0.0, 0.0, -1.0), "saddle"),
    ((0.0, -1.0, 1.0, 0.0), "center"),
])
def test_trace_determinant_app_kinds(entries, kind):
    """Hand-made matrices with known eigenvalues (diagonal: the entries; a I + b R:
    a +- i b): the kind word is classify's, the point is (tr, det), the eigenvalue
    markers are the eigenvalues."""
    app = trace_determinant_explorer(*entries)
    J = np.array(entries).reshape(2, 2)
    assert classify(J) == kind and kind in app.kind.value
    np.testing.assert_allclose(app.td.artists["points"].get_offsets(),
                               [[np.trace(J), np.linalg.det(J)]])
    pts = np.asarray(app.eig.artists["points"].get_offsets())
    lam = np.linalg.eigvals(J)
    assert sorted(map(tuple, np.round(pts, 12))) == sorted(
        (round(z.real, 12), round(z.imag, 12)) for z in lam)
    # the eigenvalue frame is fixed (update with rescale=False): the blit background holds
    assert app.ax_eig.get_xlim() == (-app._LIM, app._LIM)
    assert app.ax_eig.get_ylim() == (-app._LIM, app._LIM)


def test_saddle_has_one_attracting_and_one_repelling_pair_of_rays():
    """Syllabus slip: in 2-D a saddle has one attracting and one repelling direction,
    each a pair of opposite rays along the eigenvectors of diag(1, -1)."""
    app = trace_determinant_explorer(1.0, 0.0, 0.0, -1.0)
    ins, outs = app.rays_in.get_segments(), app.rays_out.get_segments()
    assert len(ins) == 2 and len(outs) == 2
    np.testing.assert_allclose(ins[0][1], -ins[1][1])
    assert abs(ins[0][1][0]) < 1e-12  # attracting along x2 (eigenvalue -1)
    assert abs(outs[0][1][1]) < 1e-12  # repelling along x1 (eigenvalue +1)
    assert "one repelling direction" in app.kind.value


def test_linear_paths_follow_the_exact_solution():
    """For J = diag(-1, -2) the paths are x(t) = (x0 e^-t, y0 e^-2t): along each drawn
    path y / x^2 is constant (the exact invariant y x0^2 / (y0 x^2) = 1)."""
    app = trace_determinant_explorer(-1.0, 0.0, 0.0, -2.0)
    for seg in app.paths.get_segments():
        seg = np.asarray(seg)
        ok = np.all(np.isfinite(seg), axis=1) & (np.abs(seg[:, 0]) > 1e-3)
        if np.count_nonzero(ok) < 3 or abs(seg[0, 0]) < 1e-3:
            continue
        ratio = seg[ok, 1] / seg[ok, 0] ** 2
        np.testing.assert_allclose(ratio, ratio[0], rtol=1e-8)
