"""Tests of the rate-neuron apps (neurolab.widgets.rate_neurons)."""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.models.rate import OneHiddenLayerNet, RateUnit, sigmoid
from neurolab.widgets.rate_neurons import (
    MAX_HIDDEN,
    TARGETS,
    WIDTHS,
    X,
    rate_unit,
    universal_approximation,
)

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def unit_app():
    return rate_unit(w1=4.0, w2=4.0, bias=-6.0)


@pytest.fixture(scope="module")
def net_app():
    app = universal_approximation(n_hidden=5)
    app.job.wait()
    app.job.synchronous = True
    return app


# ----------------------------------------------------------------------------- one unit
def test_unit_corners_are_a_sigmoid_of_the_weighted_sum(unit_app):
    """rate = 100 Hz * 1/(1 + exp(-(w1 x1 + w2 x2 + b))) at the corners of the square;
    with w = (4, 4), b = -6 only (1, 1) drives the unit above half its maximum (AND)."""
    app = unit_app
    assert app.error == "" and app.view.image.value[:8] == PNG
    corners = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    expected = 100.0 * sigmoid(corners @ [4.0, 4.0] - 6.0)
    np.testing.assert_allclose(app.corner_pts.get_offsets()[:, 1], expected)
    assert [t.get_text() for t in app.corner_text] == [f"{r:.0f} Hz" for r in expected]
    assert (expected > 50).tolist() == [False, False, False, True]


def test_unit_map_and_zero_line(unit_app):
    app = unit_app
    app.w1.value, app.w2.value, app.bias.value = 2.0, -3.0, 0.5
    app.nonlinearity.value = "relu"
    app._redraw_and_refresh()
    unit = RateUnit((2.0, -3.0), 0.5, "relu", 100.0)
    img = np.asarray(app.image.get_array())
    assert img[0, -1] == pytest.approx(float(unit.rate([1.0, 0.0])))  # origin lower
    x, y = app.zero_line.get_data()
    np.testing.assert_allclose(unit.drive(np.column_stack([x, y])), 0.0, atol=1e-12)
    app.nonlinearity.value = "sigmoid"
    app.w1.value, app.w2.value, app.bias.value = 4.0, 4.0, -6.0


def test_unit_first_slider_changes_image_and_bad_value(unit_app):
    app = unit_app
    before = app.view.image.value
    app.w1.value = app.w1.value + app.w1.step
    app._redraw_and_refresh()
    assert app.view.image.value != before
    app.nonlinearity.options = ["sigmoid", "relu", "tanh"]
    app.nonlinearity.value = "tanh"               # not a RateUnit nonlinearity
    assert "nonlinearity" in app.error
    app.nonlinearity.value = "sigmoid"
    assert app.error == ""
    app.nonlinearity.options = ["sigmoid", "relu"]


# ----------------------------------------------------------------------------- network
def test_fit_is_the_least_squares_network(net_app):
    app = net_app
    assert app.error == "" and app.view.image.value[:8] == PNG
    app.n_hidden.value = 8
    y = TARGETS["sin(3x)"](X)
    ref = OneHiddenLayerNet(8, "sigmoid", seed=0).fit_least_squares(X, y)
    np.testing.assert_allclose(app.fit_line.get_ydata(), ref(X))
    np.testing.assert_allclose(app.res_line.get_ydata(), ref(X) - y)
    assert app.mse == pytest.approx(ref.loss(X, y))
    visible = [ln for ln in app.hidden_lines if ln.get_visible()]
    assert len(visible) == 8
    # the contributions add up to the output (minus the output bias)
    total = np.sum([ln.get_ydata() for ln in visible], axis=0)
    np.testing.assert_allclose(total + float(ref.params["b2"]), ref(X), atol=1e-9)


def test_error_falls_with_width(net_app):
    """Universal approximation (Cybenko 1989; Hornik 1991): with more hidden units the
    error of the best network falls towards zero. With the nested random hidden layers
    of fit_least_squares a wider network contains the narrower one, so the error curve
    is non-increasing, up to the ridge term (which matters only once the error is below
    about 1e-4)."""
    app = net_app
    app.target.value = "|x|"
    err = app.errors_by_width
    assert err is not None and err.shape == (MAX_HIDDEN,)
    y = TARGETS["|x|"](X)
    for H in (1, 20):
        ref = OneHiddenLayerNet(H, "sigmoid", seed=0).fit_least_squares(X, y).loss(X, y)
        assert err[H - 1] == pytest.approx(ref)
    assert np.all(np.diff(err) <= 1e-6)
    assert err[-1] < 1e-3 * err[0]
    np.testing.assert_array_equal(app.err_curve.get_xdata(), WIDTHS)
    app.target.value = "sin(3x)"


def test_training_runs_in_background_and_is_drawn(net_app):
    app = net_app
    app.n_hidden.value = 6
    app.train_button.click()
    assert app.error == ""
    net = app.trained
    assert net is not None and net.n_hidden == 6
    y = TARGETS["sin(3x)"](X)
    np.testing.assert_allclose(app.trained_line.get_ydata(), net(X))
    assert net.loss(X, y) < net.loss_history[0]
    app.n_hidden.value = 7                         # a new width clears the trained curve
    assert app.trained is None and len(app.trained_line.get_xdata()) == 0


def test_net_first_slider_changes_image_and_bad_value(net_app):
    app = net_app
    before = app.view.image.value
    app.n_hidden.value = app.n_hidden.value + 1
    assert app.view.image.value != before
    app.n_hidden.max = 20000
    app.n_hidden.value = 20000                     # above OneHiddenLayerNet's limit
    assert "n_hidden" in app.error
    app.n_hidden.value = 5
    assert app.error == ""
    app.n_hidden.max = MAX_HIDDEN
