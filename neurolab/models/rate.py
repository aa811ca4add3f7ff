"""Artificial (rate) neurons: a weighted sum of inputs through a nonlinearity.

A rate unit replaces the spikes of a model neuron by its firing rate: it sums its inputs
with weights, adds a bias and passes the result through a nonlinearity, the sigmoid or
the rectifier. Because the output is a smooth (or piecewise linear) function of the
weights, gradients can be computed exactly and a network of such units can be trained.

:class:`OneHiddenLayerNet` shows the universal-approximation property: one hidden layer
of sigmoid units (Cybenko, Math. Control Signals Systems 2:303, 1989) or rectifiers
(Leshno et al., Neural Networks 6:861, 1993) approximates any continuous function on a
bounded interval as closely as wanted, given enough hidden units. Numpy only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from .._validation import check_array, check_choice, check_int, check_positive

__all__ = ["ACTIVATIONS", "sigmoid", "relu", "RateUnit", "OneHiddenLayerNet"]

#: The nonlinearities offered by :class:`RateUnit` and :class:`OneHiddenLayerNet`.
ACTIVATIONS = ("sigmoid", "relu")


def sigmoid(x: Any) -> np.ndarray:
    """Logistic function 1 / (1 + exp(-x)), computed without overflow.

    Parameters
    ----------
    x : array_like
        Input (dimensionless).

    Returns
    -------
    numpy.ndarray
        Values in [0, 1]; 1/2 at x = 0.
    """
    x = np.clip(np.asarray(x, dtype=float), -500.0, 500.0)  # exp(500) is still finite
    return 1.0 / (1.0 + np.exp(-x))


def relu(x: Any) -> np.ndarray:
    """Rectifier max(x, 0).

    Parameters
    ----------
    x : array_like
        Input (dimensionless).

    Returns
    -------
    numpy.ndarray
        x where x > 0, else 0.
    """
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def _activation(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Value and derivative of an activation at z."""
    if name == "sigmoid":
        a = sigmoid(z)
        return a, a * (1.0 - a)
    return relu(z), (z > 0).astype(float)


@dataclass(frozen=True)
class RateUnit:
    """One rate neuron: rate = max_rate * f(w . x + b).

    For ``"sigmoid"`` f is the logistic function, so the rate rises smoothly from 0 to
    ``max_rate``. For ``"relu"`` f is a rectifier with a ceiling, f(u) = min(max(u, 0), 1):
    silent below zero drive, linear above, and saturating at ``max_rate`` because a real
    neuron cannot fire faster than its refractory period allows. Either way the output is
    a firing rate, never negative.

    Attributes
    ----------
    weights : tuple of float
        Synaptic weights, one per input (dimensionless).
    bias : float
        Bias added to the weighted sum (dimensionless); a negative bias is a threshold.
    nonlinearity : {"sigmoid", "relu"}
        The nonlinearity f.
    max_rate : float
        Largest rate (Hz), positive.
    """

    weights: tuple[float, ...]
    bias: float = 0.0
    nonlinearity: str = "sigmoid"
    max_rate: float = field(default=100.0)

    def __post_init__(self) -> None:
        w = check_array("weights", self.weights)
        if w.ndim == 0:
            w = w.reshape(1)
        if w.ndim != 1 or w.size == 0:
            raise ValueError(f"weights must be a non-empty 1-D sequence, got shape {w.shape}")
        object.__setattr__(self, "weights", tuple(float(v) for v in w))
        object.__setattr__(self, "bias", float(check_array("bias", self.bias, ndim=0)))
        check_choice("nonlinearity", self.nonlinearity, ACTIVATIONS)
        object.__setattr__(self, "max_rate", check_positive("max_rate", self.max_rate))

    @property
    def n_inputs(self) -> int:
        """Number of inputs."""
        return len(self.weights)

    def _inputs(self, x: Any) -> tuple[np.ndarray, tuple[int, ...]]:
        return _as_inputs(x, self.n_inputs)

    def drive(self, x: Any) -> np.ndarray:
        """Weighted input u = w . x + b.

        Parameters
        ----------
        x : array_like
            Inputs, shape ``(n_inputs,)`` or ``(n_samples, n_inputs)`` (or ``(n_samples,)``
            for a unit with one input).

        Returns
        -------
        numpy.ndarray
            u for each sample (dimensionless).
        """
        X, shape = self._inputs(x)
        return (X @ np.asarray(self.weights) + self.bias).reshape(shape)

    def _f(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.nonlinearity == "sigmoid":
            return _activation("sigmoid", u)
        inside = (u > 0) & (u < 1)
        return np.clip(u, 0.0, 1.0), inside.astype(float)

    def rate(self, x: Any) -> np.ndarray:
        """Firing rate (Hz) for inputs x: max_rate * f(w . x + b), in [0, max_rate].

        Parameters
        ----------
        x : array_like
            Inputs, as for :meth:`drive`.

        Returns
        -------
        numpy.ndarray
            Rate for each sample (Hz).
        """
        return self.max_rate * self._f(self.drive(x))[0]

    __call__ = rate

    def gradient(self, x: Any) -> tuple[np.ndarray, np.ndarray]:
        """Derivatives of the rate with respect to the weights and the bias.

        d rate / d w_j = max_rate f'(u) x_j and d rate / d b = max_rate f'(u).

        Parameters
        ----------
        x : array_like
            Inputs, as for :meth:`drive`.

        Returns
        -------
        d_weights : numpy.ndarray
            Shape ``batch + (n_inputs,)`` (Hz per unit weight).
        d_bias : numpy.ndarray
            Shape ``batch`` (Hz per unit bias).
        """
        X, shape = self._inputs(x)
        u = X @ np.asarray(self.weights) + self.bias
        df = self.max_rate * self._f(u)[1]
        return (df[:, None] * X).reshape(shape + (self.n_inputs,)), df.reshape(shape)


def _as_inputs(x: Any, n_inputs: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """Inputs as an (n, n_inputs) array and the batch shape of the output."""
    X = check_array("x", x)
    if n_inputs == 1:
        if X.ndim == 2 and X.shape[1] == 1:
            return X, (X.shape[0],)
        if X.ndim > 1:
            raise ValueError(f"x must be a number or a 1-D array for one input, got shape "
                             f"{X.shape}")
        return X.reshape(-1, 1), X.shape
    if X.ndim == 1 and X.shape[0] == n_inputs:
        return X.reshape(1, -1), ()
    if X.ndim != 2 or X.shape[1] != n_inputs:
        raise ValueError(f"x must have shape (n_samples, {n_inputs}) or ({n_inputs},), "
                         f"got {X.shape}")
    return X, (X.shape[0],)


def _views(theta: np.ndarray, H: int, d: int) -> dict[str, np.ndarray]:
    """Named views of a flat parameter vector: W1 (H, d), b1 (H,), w2 (H,), b2 ()."""
    i = H * d
    return {
        "W1": theta[:i].reshape(H, d),
        "b1": theta[i:i + H],
        "w2": theta[i + H:i + 2 * H],
        "b2": theta[i + 2 * H:].reshape(()),
    }


class OneHiddenLayerNet:
    """A network with one hidden layer of rate units and a linear output.

    y(x) = sum_j w2_j f(W1_j . x + b1_j) + b2, with f the sigmoid or the rectifier. It is
    trained by full-batch gradient descent (plain or Adam) on the mean squared error, with
    the gradient computed by back-propagation, or built at once by choosing a random hidden
    layer and solving for the output weights by least squares (:meth:`fit_least_squares`).

    Parameters
    ----------
    n_hidden : int
        Number of hidden units, 1 to 10000.
    activation : {"sigmoid", "relu"}, optional
        Hidden nonlinearity. Default ``"sigmoid"``.
    seed : int, optional
        Seed for the initial weights and for the data-dependent initialisation in
        :meth:`fit` and :meth:`fit_least_squares`. Default 0.
    n_inputs : int, optional
        Dimension of the input. Default 1.

    Attributes
    ----------
    params : mapping of numpy.ndarray
        ``"W1"`` (n_hidden, n_inputs), ``"b1"`` (n_hidden,), ``"w2"`` (n_hidden,),
        ``"b2"`` (shape ()).
    loss_history : numpy.ndarray
        Mean squared error before each epoch of the last :meth:`fit`.
    """

    def __init__(self, n_hidden: int, activation: str = "sigmoid", seed: int = 0,
                 n_inputs: int = 1) -> None:
        self.n_hidden = check_int("n_hidden", n_hidden, 1, 10_000)
        self.activation = check_choice("activation", activation, ACTIVATIONS)
        self.seed = check_int("seed", seed, 0)
        self.n_inputs = check_int("n_inputs", n_inputs, 1, 10_000)
        rng = np.random.default_rng(self.seed)
        H, d = self.n_hidden, self.n_inputs
        # All parameters live in one flat vector; ``params`` holds views into it, so an
        # optimiser step is a single vector operation.
        self._theta = np.zeros(H * d + 2 * H + 1)
        self._params = _views(self._theta, H, d)
        self.params["W1"][:] = rng.standard_normal((H, d))
        self.params["b1"][:] = rng.standard_normal(H)
        self.params["w2"][:] = rng.standard_normal(H) / math.sqrt(H)
        self.loss_history = np.empty(0)

    def __repr__(self) -> str:
        return (f"OneHiddenLayerNet(n_hidden={self.n_hidden}, activation={self.activation!r}, "
                f"seed={self.seed}, n_inputs={self.n_inputs})")

    @property
    def params(self) -> Mapping[str, np.ndarray]:
        """The weights by name (read-only mapping of arrays that may be edited in place)."""
        return MappingProxyType(self._params)

    def get_parameters(self) -> np.ndarray:
        """All parameters as one flat vector (a copy), in the order W1, b1, w2, b2."""
        return self._theta.copy()

    def set_parameters(self, theta: Any) -> None:
        """Set all parameters from a flat vector in the order of :meth:`get_parameters`."""
        theta = check_array("theta", theta, ndim=1)
        if theta.size != self._theta.size:
            raise ValueError(f"theta must have {self._theta.size} values, got {theta.size}")
        self._theta[:] = theta

    # ----- evaluation -------------------------------------------------------------------
    def hidden(self, x: Any) -> np.ndarray:
        """Hidden-unit activities f(W1 x + b1), shape ``(n_samples, n_hidden)``.

        Parameters
        ----------
        x : array_like
            Inputs, shape ``(n_samples,)`` for one input or ``(n_samples, n_inputs)``.
        """
        X, _ = _as_inputs(x, self.n_inputs)
        return _activation(self.activation, X @ self.params["W1"].T + self.params["b1"])[0]

    def forward(self, x: Any) -> np.ndarray:
        """Network output y(x).

        Parameters
        ----------
        x : array_like
            Inputs, shape ``(n_samples,)`` (or a number) for one input, else
            ``(n_samples, n_inputs)``.

        Returns
        -------
        numpy.ndarray
            Outputs, one per sample.
        """
        X, shape = _as_inputs(x, self.n_inputs)
        return self._forward(X).reshape(shape)

    __call__ = forward

    def _forward(self, X: np.ndarray) -> np.ndarray:
        p = self.params
        a = _activation(self.activation, X @ p["W1"].T + p["b1"])[0]
        return a @ p["w2"] + p["b2"]

    def _data(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        X, _ = _as_inputs(x, self.n_inputs)
        Y = check_array("y", y).reshape(-1)
        if Y.size != X.shape[0]:
            raise ValueError(f"y must have one value per sample of x ({X.shape[0]}), "
                             f"got {Y.size}")
        if X.shape[0] == 0:
            raise ValueError("x must hold at least one sample, got none")
        return X, Y

    def loss(self, x: Any, y: Any) -> float:
        """Mean squared error mean((y(x) - y)^2) on the data.

        Parameters
        ----------
        x : array_like
            Inputs, as for :meth:`forward`.
        y : array_like
            Targets, one per sample.

        Returns
        -------
        float
            The mean squared error (units of y squared).
        """
        X, Y = self._data(x, y)
        return float(np.mean((self._forward(X) - Y) ** 2))

    def _loss_and_gradient(self, X: np.ndarray, Y: np.ndarray
                           ) -> tuple[float, dict[str, np.ndarray]]:
        p = self.params
        z = X @ p["W1"].T + p["b1"]
        a, da_dz = _activation(self.activation, z)
        err = a @ p["w2"] + p["b2"] - Y
        e = (2.0 / Y.size) * err                      # d loss / d output
        dz = np.outer(e, p["w2"]) * da_dz              # d loss / d z
        flat = np.empty_like(self._theta)
        grad = _views(flat, self.n_hidden, self.n_inputs)
        grad["W1"][:] = dz.T @ X
        grad["b1"][:] = dz.sum(axis=0)
        grad["w2"][:] = a.T @ e
        grad["b2"][...] = e.sum()
        return float(err @ err) / Y.size, flat

    def gradient(self, x: Any, y: Any) -> dict[str, np.ndarray]:
        """Exact gradient of :meth:`loss` with respect to every parameter (back-propagation).

        Parameters
        ----------
        x : array_like
            Inputs, as for :meth:`forward`.
        y : array_like
            Targets, one per sample.

        Returns
        -------
        dict of numpy.ndarray
            Same keys and shapes as :attr:`params`. At a rectifier's kink (z = 0) the
            derivative 0 is used.
        """
        X, Y = self._data(x, y)
        flat = self._loss_and_gradient(X, Y)[1]
        return {k: v.copy() for k, v in _views(flat, self.n_hidden, self.n_inputs).items()}

    # ----- training ---------------------------------------------------------------------
    def _spread_hidden(self, X: np.ndarray, sharpness: tuple[float, float]) -> None:
        """Place the hidden units over the data: random directions and slopes, each unit's
        threshold at a random data point. One row of uniform numbers per unit, so a wider
        network with the same seed contains the hidden units of a narrower one."""
        rng = np.random.default_rng(self.seed)
        H, d = self.n_hidden, self.n_inputs
        U = rng.random((H, d + 2))
        direction = 2.0 * U[:, :d] - 1.0
        if d == 1:
            direction = np.sign(direction)
            direction[direction == 0] = 1.0
        else:
            direction /= np.maximum(np.linalg.norm(direction, axis=1, keepdims=True), 1e-12)
        span = float(np.mean(np.ptp(X, axis=0))) or 1.0
        lo, hi = sharpness
        magnitude = (lo + (hi - lo) * U[:, d]) / span
        centre = X[np.minimum((U[:, d + 1] * X.shape[0]).astype(int), X.shape[0] - 1)]
        W1 = direction * magnitude[:, None]
        self.params["W1"][:] = W1
        self.params["b1"][:] = -np.sum(W1 * centre, axis=1)

    def _sharpness(self) -> tuple[float, float]:
        # Slopes per data span, uniform in [2, 40]: sigmoid transitions between half the
        # range and 1/40 of it. The range does not depend on n_hidden, so that wider
        # networks with the same seed contain the narrower ones.
        return 2.0, 40.0

    def fit_least_squares(self, x: Any, y: Any, ridge: float = 1e-8) -> OneHiddenLayerNet:
        """Build the network at once: random hidden layer, output weights by least squares.

        The hidden units are spread over the data (random directions and slopes, each
        threshold at a random data point, drawn from ``seed``); the output weights and
        bias then minimise the squared error plus ``ridge`` times their squared norm (scaled
        by the number of samples), a linear problem solved exactly. A wider network with
        the same seed keeps the hidden units of a narrower one, so its error can only be
        lower (up to the tiny ridge term).

        Parameters
        ----------
        x : array_like
            Inputs, as for :meth:`forward`.
        y : array_like
            Targets, one per sample.
        ridge : float, optional
            Ridge penalty (dimensionless, relative), positive; keeps the solve well posed
            when hidden units are nearly collinear. Default 1e-8.

        Returns
        -------
        OneHiddenLayerNet
            ``self``, fitted.
        """
        X, Y = self._data(x, y)
        ridge = check_positive("ridge", ridge)
        self._spread_hidden(X, self._sharpness())
        A = np.column_stack([self.hidden(X), np.ones(X.shape[0])])
        scale = np.maximum(np.linalg.norm(A, axis=0), 1e-12)
        As = A / scale
        n = As.shape[1]
        lhs = As.T @ As + ridge * np.eye(n)
        coef = np.linalg.solve(lhs, As.T @ Y) / scale
        self.params["w2"][:] = coef[:-1]
        self.params["b2"][...] = coef[-1]
        self.loss_history = np.array([float(np.mean((A @ coef - Y) ** 2))])
        return self

    def fit(self, x: Any, y: Any, epochs: int = 1000, lr: float = 0.02,
            optimizer: str = "adam", init: bool = True) -> OneHiddenLayerNet:
        """Train every weight by full-batch gradient descent on the mean squared error.

        Parameters
        ----------
        x : array_like
            Inputs, as for :meth:`forward`.
        y : array_like
            Targets, one per sample.
        epochs : int, optional
            Number of full-batch steps, 1 to 10^6. Default 1000.
        lr : float, optional
            Learning rate (step size), positive. Default 0.02 (suits inputs and targets
            of order 1; scale the data or lr otherwise).
        optimizer : {"adam", "gd"}, optional
            ``"adam"`` (Kingma & Ba, arXiv:1412.6980, 2014, with beta1 = 0.9,
            beta2 = 0.999, eps = 1e-8) or plain gradient descent ``"gd"``. Default Adam.
        init : bool, optional
            If True (default), first spread the hidden units over the data (as in
            :meth:`fit_least_squares`) and start the output weights at zero; if False,
            continue from the current weights.

        Returns
        -------
        OneHiddenLayerNet
            ``self``, trained; :attr:`loss_history` holds the loss before each step.

        Raises
        ------
        ValueError
            For bad arguments, or if training diverges (lower ``lr``); the weights are
            then put back as they were before training.
        """
        X, Y = self._data(x, y)
        epochs = check_int("epochs", epochs, 1, 1_000_000)
        lr = check_positive("lr", lr)
        optimizer = check_choice("optimizer", optimizer, ("adam", "gd"))
        if not isinstance(init, (bool, np.bool_)):
            raise ValueError(f"init must be True or False, got {init!r}")
        if init:
            self._spread_hidden(X, self._sharpness())
            self.params["w2"][:] = 0.0
            self.params["b2"][...] = Y.mean()
        theta = self._theta
        start = theta.copy()
        m = np.zeros_like(theta)
        v = np.zeros_like(theta)
        beta1, beta2, eps = 0.9, 0.999, 1e-8
        history = np.empty(epochs)
        for step in range(1, epochs + 1):
            with np.errstate(over="ignore", invalid="ignore"):
                loss, g = self._loss_and_gradient(X, Y)
            if not (math.isfinite(loss) and np.all(np.isfinite(g))):
                theta[:] = start
                raise ValueError(f"training diverged at epoch {step} with lr={lr:g}; "
                                 f"use a smaller lr")
            history[step - 1] = loss
            if optimizer == "gd":
                theta -= lr * g
                continue
            m *= beta1
            m += (1.0 - beta1) * g
            v *= beta2
            v += (1.0 - beta2) * g * g
            theta -= (lr / (1.0 - beta1 ** step)) * m / (
                np.sqrt(v / (1.0 - beta2 ** step)) + eps)
        self.loss_history = history
        return self
