"""Rate units and the one-hidden-layer network: exact gradients, approximation, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from neurolab.models.rate import ACTIVATIONS, OneHiddenLayerNet, RateUnit, relu, sigmoid

X = np.linspace(-np.pi, np.pi, 200)


def test_sigmoid_and_relu_values():
    """sigmoid is the logistic function (1/2 at 0, s(-x) = 1 - s(x), s' = s (1 - s)) and
    stays finite without warnings for huge inputs; relu is max(x, 0)."""
    x = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(sigmoid(-x), 1 - sigmoid(x), atol=1e-15)
    h = 1e-6
    np.testing.assert_allclose((sigmoid(x + h) - sigmoid(x - h)) / (2 * h),
                               sigmoid(x) * (1 - sigmoid(x)), atol=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(sigmoid(np.array([-1e6, 1e6])), [0.0, 1.0], atol=1e-200)
    np.testing.assert_array_equal(relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])


@pytest.mark.parametrize("nonlinearity", ACTIVATIONS)
def test_rate_unit_outputs_are_rates(nonlinearity):
    """A rate unit's output is a firing rate: never negative, never above max_rate."""
    rng = np.random.default_rng(0)
    unit = RateUnit(weights=(1.5, -2.0, 0.5), bias=-0.3, nonlinearity=nonlinearity,
                    max_rate=80.0)
    r = unit.rate(rng.normal(scale=5.0, size=(5000, 3)))
    assert r.shape == (5000,)
    assert np.all(r >= 0.0) and np.all(r <= 80.0)
    assert r.min() == pytest.approx(0.0, abs=1e-3) and r.max() == pytest.approx(80.0, rel=1e-3)


def test_rate_unit_values():
    """sigmoid: half the maximum at zero drive; rectifier: silent below zero drive, linear
    above, capped at max_rate."""
    s = RateUnit(weights=(2.0,), bias=-1.0, max_rate=100.0)
    assert s(0.5) == pytest.approx(50.0)
    r = RateUnit(weights=(1.0,), nonlinearity="relu", max_rate=100.0)
    np.testing.assert_allclose(r([-1.0, 0.25, 0.5, 3.0]), [0.0, 25.0, 50.0, 100.0])
    assert s.drive([0.0, 1.0]).tolist() == [-1.0, 1.0]


@pytest.mark.parametrize("nonlinearity", ACTIVATIONS)
def test_rate_unit_gradient_matches_finite_differences(nonlinearity):
    """d rate / d w and d rate / d b agree with central differences."""
    unit = RateUnit(weights=(0.3, -0.2), bias=0.1, nonlinearity=nonlinearity)
    x = np.array([[0.7, 0.4], [-0.5, 1.2], [1.0, -0.3]])
    dw, db = unit.gradient(x)
    h = 1e-6
    for j in range(2):
        wp = list(unit.weights)
        wm = list(unit.weights)
        wp[j] += h
        wm[j] -= h
        fd = (RateUnit(tuple(wp), unit.bias, nonlinearity).rate(x)
              - RateUnit(tuple(wm), unit.bias, nonlinearity).rate(x)) / (2 * h)
        np.testing.assert_allclose(dw[:, j], fd, rtol=1e-6, atol=1e-6)
    fd = (RateUnit(unit.weights, unit.bias + h, nonlinearity).rate(x)
          - RateUnit(unit.weights, unit.bias - h, nonlinearity).rate(x)) / (2 * h)
    np.testing.assert_allclose(db, fd, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("n_inputs", [1, 2])
def test_network_gradient_matches_finite_differences(activation, n_inputs):
    """Back-propagated gradient of the mean squared error agrees with central finite
    differences of the loss, parameter by parameter (an independent numerical method)."""
    rng = np.random.default_rng(3)
    net = OneHiddenLayerNet(6, activation, seed=4, n_inputs=n_inputs)
    x = rng.uniform(-2, 2, size=(30, n_inputs)) if n_inputs > 1 else rng.uniform(-2, 2, 30)
    y = rng.normal(size=30)
    grad = net.gradient(x, y)
    flat = np.concatenate([np.ravel(grad[k]) for k in ("W1", "b1", "w2", "b2")])
    theta = net.get_parameters()
    h = 1e-6
    fd = np.empty_like(theta)
    for i in range(theta.size):
        tp, tm = theta.copy(), theta.copy()
        tp[i] += h
        tm[i] -= h
        net.set_parameters(tp)
        lp = net.loss(x, y)
        net.set_parameters(tm)
        lm = net.loss(x, y)
        fd[i] = (lp - lm) / (2 * h)
    net.set_parameters(theta)
    np.testing.assert_allclose(flat, fd, rtol=1e-5, atol=1e-7)
    assert set(grad) == set(net.params)
    assert all(grad[k].shape == net.params[k].shape for k in grad)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_least_squares_output_weights_zero_the_gradient(activation):
    """After the least-squares solve the output weights satisfy the normal equations, so
    back-propagation must give a (near) zero gradient for w2 and b2."""
    net = OneHiddenLayerNet(15, activation, seed=2).fit_least_squares(X, np.sin(X))
    g = net.gradient(X, np.sin(X))
    assert np.max(np.abs(g["w2"])) < 1e-6
    assert abs(float(g["b2"])) < 1e-6


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("target", [np.sin, np.abs], ids=["sin", "abs"])
def test_least_squares_error_falls_as_hidden_layer_grows(activation, target):
    """Universal approximation, shown constructively: with a fixed seed a wider network
    holds the hidden units of a narrower one, so its least-squares error cannot rise; it
    falls by orders of magnitude from 1 to 100 units."""
    y = target(X)
    errors = [OneHiddenLayerNet(n, activation, seed=0).fit_least_squares(X, y).loss(X, y)
              for n in (1, 2, 5, 10, 20, 50, 100)]
    assert all(b <= a * (1 + 1e-6) for a, b in zip(errors, errors[1:], strict=False))
    assert errors[-1] < 1e-3 * errors[0]


def test_least_squares_approximates_between_training_points():
    """50 sigmoid units fitted to sin on 200 points stay within 1e-3 of sin on a finer grid
    (the approximation is of the function, not only of the samples)."""
    net = OneHiddenLayerNet(50, "sigmoid", seed=0).fit_least_squares(X, np.sin(X))
    xf = np.linspace(-np.pi, np.pi, 1001)
    assert np.max(np.abs(net(xf) - np.sin(xf))) < 1e-3


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_descent_error_falls_as_hidden_layer_grows(activation):
    """Training every weight with Adam: the error on sin falls with the number of hidden
    units (1, 3, 10, 30) for a fixed seed, and the loss history ends far below its start
    (300 epochs keep the test quick; the default is 1000)."""
    y = np.sin(X)
    nets = [OneHiddenLayerNet(n, activation, seed=0).fit(X, y, epochs=300)
            for n in (1, 3, 10, 30)]
    errors = [net.loss(X, y) for net in nets]
    assert all(b < a for a, b in zip(errors, errors[1:], strict=False))
    assert errors[-1] < 1e-3
    hist = nets[-1].loss_history
    assert hist.shape == (300,) and hist[-1] < 1e-2 * hist[0]


def test_plain_gradient_descent_decreases_the_loss():
    """With a small step, plain gradient descent lowers the loss at every step (descent
    lemma for a smooth loss)."""
    net = OneHiddenLayerNet(8, "sigmoid", seed=1).fit(X, np.sin(X), epochs=200, lr=0.01,
                                                       optimizer="gd")
    assert np.all(np.diff(net.loss_history) <= 0)
    assert net.loss(X, np.sin(X)) < net.loss_history[0]


def test_fit_can_continue_from_current_weights():
    """init=False continues training instead of starting again."""
    y = np.sin(X)
    net = OneHiddenLayerNet(10, seed=0).fit(X, y, epochs=100)
    before = net.loss(X, y)
    net.fit(X, y, epochs=100, init=False)
    assert net.loss_history[0] == pytest.approx(before)
    assert net.loss(X, y) < before


def test_divergence_raises_and_restores_weights():
    """A learning rate far too large raises ValueError and leaves the weights as they were."""
    net = OneHiddenLayerNet(20, "relu", seed=0).fit_least_squares(X, np.sin(X))
    theta = net.get_parameters()
    with pytest.raises(ValueError, match="lr"):
        net.fit(X, np.sin(X), lr=1e8, optimizer="gd", init=False)
    np.testing.assert_array_equal(net.get_parameters(), theta)


def test_forward_shapes():
    """Scalars, 1-D arrays and (n, 1) arrays are accepted for one input."""
    net = OneHiddenLayerNet(4)
    assert net.forward(0.5).shape == ()
    assert net.forward(X).shape == X.shape
    np.testing.assert_allclose(net.forward(X[:, None]), net.forward(X))
    assert net.hidden(X).shape == (X.size, 4)
    net2 = OneHiddenLayerNet(4, n_inputs=3)
    assert net2.forward(np.ones(3)).shape == ()
    assert net2.forward(np.ones((7, 3))).shape == (7,)


@pytest.mark.parametrize("kwargs, name", [
    ({"n_hidden": 0}, "n_hidden"), ({"n_hidden": 2.5}, "n_hidden"),
    ({"activation": "tanh"}, "activation"), ({"seed": -1}, "seed"),
    ({"n_inputs": 0}, "n_inputs"),
])
def test_network_bad_construction(kwargs, name):
    """Bad constructor arguments raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=name):
        OneHiddenLayerNet(**({"n_hidden": 3} | kwargs))


@pytest.mark.parametrize("call, name", [
    (lambda n: n.fit(X, np.sin(X)[:-1]), "y"),
    (lambda n: n.fit(X, np.sin(X), epochs=0), "epochs"),
    (lambda n: n.fit(X, np.sin(X), lr=0.0), "lr"),
    (lambda n: n.fit(X, np.sin(X), optimizer="sgd"), "optimizer"),
    (lambda n: n.fit(X, np.sin(X), init="yes"), "init"),
    (lambda n: n.fit_least_squares(X, np.sin(X), ridge=-1.0), "ridge"),
    (lambda n: n.forward([0.0, np.nan]), "x"),
    (lambda n: n.forward(np.ones((3, 2))), "x"),
    (lambda n: n.loss([], []), "x"),
    (lambda n: n.set_parameters(np.ones(3)), "theta"),
])
def test_network_bad_input(call, name):
    """Bad data or training settings raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=name):
        call(OneHiddenLayerNet(3))


def test_params_mapping_is_read_only_but_editable_in_place():
    """Weights can be edited in place (a widget slider) but not replaced by accident."""
    net = OneHiddenLayerNet(3)
    with pytest.raises(TypeError):
        net.params["w2"] = np.zeros(3)  # type: ignore[index]
    net.params["w2"][:] = 0.0
    net.params["b2"][...] = 2.0
    np.testing.assert_allclose(net(X), 2.0)


@pytest.mark.parametrize("kwargs, name", [
    ({"weights": ()}, "weights"), ({"weights": (1.0, float("inf"))}, "weights"),
    ({"nonlinearity": "step"}, "nonlinearity"), ({"max_rate": 0.0}, "max_rate"),
    ({"bias": float("nan")}, "bias"),
])
def test_rate_unit_bad_input(kwargs, name):
    """Bad rate-unit parameters raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=name):
        RateUnit(**({"weights": (1.0,)} | kwargs))
    with pytest.raises(ValueError, match="x"):
        RateUnit(weights=(1.0, 2.0)).rate([1.0, 2.0, 3.0])
