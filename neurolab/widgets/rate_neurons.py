"""Artificial (rate) neurons: one unit, and a one-hidden-layer network that approximates.

- :class:`RateUnitExplorer` (factory :func:`rate_unit`): one rate neuron with two inputs,
  rate = max_rate f(w1 x1 + w2 x2 + b) (:class:`neurolab.models.rate.RateUnit`), shown as
  a map over the input square with the line where the drive is zero, and as the
  nonlinearity f against the drive with the four corner inputs marked (set the weights
  and bias to make it an AND or an OR of its inputs).
- :class:`UniversalApproximator` (factory :func:`universal_approximation`): a network
  with one hidden layer (:class:`neurolab.models.rate.OneHiddenLayerNet`) fitted to a
  target function by its least-squares construction at every slider move; the hidden
  units' contributions w2_j f(w1_j x + b1_j); the residual; and the error against the
  number of hidden units (computed in the background). A button trains every weight by
  gradient descent (Adam) in the background, for comparison.

No science lives here: the units, networks and fits come from
:mod:`neurolab.models.rate`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as W
import numpy as np

from ..models.rate import ACTIVATIONS, OneHiddenLayerNet, RateUnit
from .core import STYLE, App, guarded, slider

__all__ = ["RateUnitExplorer", "rate_unit", "UniversalApproximator",
           "universal_approximation", "TARGETS", "X", "MAX_HIDDEN"]

#: Target functions offered (presentation choices), on the input grid :data:`X`.
TARGETS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin(3x)": lambda x: np.sin(3.0 * x),
    "|x|": np.abs,
    "step": lambda x: (x > 0).astype(float),
    "bump exp(-4x²)": lambda x: np.exp(-4.0 * x * x),
}
#: Input grid (dimensionless) on which the networks are fitted and drawn.
X = np.linspace(-2.0, 2.0, 201)
#: Largest number of hidden units offered; widths scanned for the error curve.
MAX_HIDDEN = 40
WIDTHS = np.arange(1, MAX_HIDDEN + 1)
#: Gradient-descent training: epochs and learning rate (Adam).
TRAIN_EPOCHS = 2000
TRAIN_LR = 0.02
_NICE = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1e3, 1e4, 1e5, 1e6)
_MAX_RATE = 100.0
_GRID = np.linspace(0.0, 1.0, 81)
_CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])


def _dropdown(description: str, options: list[str], value: str) -> W.Dropdown:
    return W.Dropdown(options=options, value=value, description=description, style=STYLE,
                      layout=W.Layout(width="24em"))


def _check_target(target: str) -> str:
    if target not in TARGETS:
        raise ValueError(f"target must be one of {list(TARGETS)}, got {target!r}")
    return target


# ----------------------------------------------------------------------------- one unit
class RateUnitExplorer(App):
    """One rate neuron with two inputs: its rate over the input square.

    Parameters
    ----------
    w1, w2 : float
        Weights of the inputs x1 and x2 (dimensionless).
    bias : float
        Bias b (dimensionless).
    nonlinearity : {"sigmoid", "relu"}
        The nonlinearity f.

    Attributes
    ----------
    w1, w2, bias : ipywidgets.FloatSlider
        The controls (w1 first).
    nonlinearity : ipywidgets.Dropdown
    unit : RateUnit
        The unit shown.
    """

    def __init__(self, w1: float = 4.0, w2: float = 4.0, bias: float = -6.0,
                 nonlinearity: str = "sigmoid") -> None:
        super().__init__(figsize=(9.5, 4.0))
        self.w1 = slider("w1", w1, -10.0, 10.0, 0.1, "", "weight of input x1")
        self.w2 = slider("w2", w2, -10.0, 10.0, 0.1, "", "weight of input x2")
        self.bias = slider("bias b", bias, -10.0, 10.0, 0.1, "", "bias (minus a threshold)")
        self.nonlinearity = _dropdown("nonlinearity", list(ACTIVATIONS), nonlinearity)
        self.controls = [self.w1, self.w2, self.bias, self.nonlinearity]
        self.unit = RateUnit((w1, w2), bias, nonlinearity, _MAX_RATE)
        gs = self.figure.add_gridspec(1, 2, wspace=0.35, left=0.07, right=0.97, top=0.88,
                                      bottom=0.14)
        self.ax_map = self.figure.add_subplot(gs[0])
        self.ax_f = self.figure.add_subplot(gs[1])
        self.image = self.ax_map.imshow(np.zeros((_GRID.size, _GRID.size)), origin="lower",
                                        extent=(0.0, 1.0, 0.0, 1.0), vmin=0.0,
                                        vmax=_MAX_RATE, cmap="viridis", aspect="auto")
        self.figure.colorbar(self.image, ax=self.ax_map, label="rate (Hz)")
        (self.zero_line,) = self.ax_map.plot([], [], color="w", ls="--", lw=1.2)
        self.ax_map.scatter(_CORNERS[:, 0], _CORNERS[:, 1], s=40, color="w", edgecolor="k",
                            zorder=4, clip_on=False)
        self.corner_text = [self.ax_map.text(x, y, "", ha="center", fontsize=8,
                                             va="bottom" if y < 0.5 else "top",
                                             color="w", zorder=5)
                            for x, y in _CORNERS * 0.86 + 0.07]
        self.ax_map.set(xlim=(0.0, 1.0), ylim=(0.0, 1.0), xlabel="input $x_1$",
                        ylabel="input $x_2$",
                        title="rate = max · f($w_1 x_1 + w_2 x_2 + b$)")
        self.u_axis = np.linspace(-10.0, 10.0, 401)
        (self.f_line,) = self.ax_f.plot([], [], color="k", lw=1.5)
        self.corner_pts = self.ax_f.scatter([], [], s=40, color="tab:red", zorder=4)
        self.ax_f.axvline(0.0, color="0.7", lw=0.8)
        self.ax_f.set(xlim=(-10.0, 10.0), ylim=(-3.0, 1.05 * _MAX_RATE),
                      xlabel="drive u = $w_1 x_1 + w_2 x_2 + b$ (dimensionless)",
                      ylabel="rate (Hz)", title="the nonlinearity; dots: the four corners")
        self.view.dynamic(self.image, self.zero_line, *self.corner_text, self.f_line,
                          self.corner_pts)
        self.start()

    def redraw(self) -> None:
        """Rebuild the unit and update the map, the zero-drive line and the corners."""
        w1, w2, b = float(self.w1.value), float(self.w2.value), float(self.bias.value)
        unit = RateUnit((w1, w2), b, self.nonlinearity.value, _MAX_RATE)
        self.unit = unit
        g1, g2 = np.meshgrid(_GRID, _GRID)
        rates = unit.rate(np.column_stack([g1.ravel(), g2.ravel()]))
        self.image.set_data(rates.reshape(g1.shape))
        # the line w1 x1 + w2 x2 + b = 0, clipped to the square by the axes
        if abs(w2) > 1e-12:
            xs = np.array([0.0, 1.0])
            self.zero_line.set_data(xs, -(b + w1 * xs) / w2)
        elif abs(w1) > 1e-12:
            self.zero_line.set_data([-b / w1] * 2, [0.0, 1.0])
        else:
            self.zero_line.set_data([], [])
        corner = unit.rate(_CORNERS)
        for t, r in zip(self.corner_text, corner, strict=True):
            t.set_text(f"{r:.0f} Hz")
        single = RateUnit((1.0,), 0.0, unit.nonlinearity, _MAX_RATE)
        self.f_line.set_data(self.u_axis, single.rate(self.u_axis))
        self.corner_pts.set_offsets(np.column_stack([unit.drive(_CORNERS), corner]))


def rate_unit(w1: float = 4.0, w2: float = 4.0, bias: float = -6.0,
              nonlinearity: str = "sigmoid") -> RateUnitExplorer:
    """One rate neuron with two inputs (see :class:`RateUnitExplorer`).

    Parameters
    ----------
    w1, w2 : float
        Input weights (dimensionless, -10 to 10).
    bias : float
        Bias (dimensionless, -10 to 10).
    nonlinearity : {"sigmoid", "relu"}

    Returns
    -------
    RateUnitExplorer
    """
    return RateUnitExplorer(w1, w2, bias, nonlinearity)


# ----------------------------------------------------------------------------- network
class UniversalApproximator(App):
    """A one-hidden-layer network fitted to a target function.

    Parameters
    ----------
    n_hidden : int
        Number of hidden units (1 to :data:`MAX_HIDDEN`).
    activation : {"sigmoid", "relu"}
        Hidden nonlinearity.
    target : str
        Key of :data:`TARGETS`.
    seed : int
        Seed of the random hidden layer.

    Attributes
    ----------
    n_hidden, seed : ipywidgets.IntSlider
        Controls (n_hidden first).
    activation, target : ipywidgets.Dropdown
    train_button : ipywidgets.Button
        Trains every weight by gradient descent in the background.
    net : OneHiddenLayerNet
        The least-squares network shown.
    mse : float
        Its mean squared error on :data:`X`.
    errors_by_width : numpy.ndarray or None
        Mean squared error for each width in 1 .. MAX_HIDDEN (None while computing).
    trained : OneHiddenLayerNet or None
        The network trained by gradient descent (None until trained; cleared when a
        control changes).
    """

    def __init__(self, n_hidden: int = 5, activation: str = "sigmoid",
                 target: str = "sin(3x)", seed: int = 0) -> None:
        _check_target(target)
        super().__init__(figsize=(10.0, 6.0))
        self.n_hidden = W.IntSlider(value=n_hidden, min=1, max=MAX_HIDDEN, step=1,
                                    description="hidden units", style=STYLE,
                                    layout=W.Layout(width="24em"))
        self.activation = _dropdown("activation", list(ACTIVATIONS), activation)
        self.target = _dropdown("target", list(TARGETS), target)
        self.seed = W.IntSlider(value=seed, min=0, max=20, step=1, description="random seed",
                                style=STYLE, layout=W.Layout(width="24em"))
        self.train_button = W.Button(description="train all weights (Adam)",
                                     layout=W.Layout(width="16em", margin="0 0 0 9.5em"))
        self.controls = [self.n_hidden, self.activation, self.target, self.seed,
                         self.train_button]
        self.net: OneHiddenLayerNet | None = None
        self.mse = float("nan")
        self.errors_by_width: np.ndarray | None = None
        self.trained: OneHiddenLayerNet | None = None
        self._curve_key: tuple | None = None

        fig = self.figure
        gs = fig.add_gridspec(2, 2, hspace=0.42, wspace=0.28, left=0.08, right=0.98,
                              top=0.93, bottom=0.09)
        self.ax_fit = fig.add_subplot(gs[0, 0])
        self.ax_hid = fig.add_subplot(gs[1, 0], sharex=self.ax_fit)
        self.ax_res = fig.add_subplot(gs[0, 1], sharex=self.ax_fit)
        self.ax_err = fig.add_subplot(gs[1, 1])
        (self.target_line,) = self.ax_fit.plot([], [], color="0.6", lw=4, label="target")
        (self.fit_line,) = self.ax_fit.plot([], [], color="tab:blue", lw=1.5,
                                            label="network (least squares)")
        (self.trained_line,) = self.ax_fit.plot([], [], color="tab:red", lw=1.2, ls="--",
                                                label="network (gradient descent)")
        self.ax_fit.set(xlim=(X[0], X[-1]), ylim=(-1.5, 1.5), ylabel="y",
                        title="target and network output")
        self.ax_fit.legend(loc="lower right", fontsize=7, frameon=False)
        self.hidden_lines = [self.ax_hid.plot([], [], lw=0.9)[0] for _ in range(MAX_HIDDEN)]
        self.ax_hid.set(xlabel="input x (dimensionless)", ylabel="$w_{2j} f(w_{1j} x + b_{1j})$",
                        title="contributions of the hidden units")
        (self.res_line,) = self.ax_res.plot([], [], color="tab:blue", lw=1.2)
        self.ax_res.axhline(0.0, color="0.7", lw=0.8)
        self.ax_res.set(ylabel="network − target", title="error")
        (self.err_curve,) = self.ax_err.semilogy([], [], "o-", ms=3, color="tab:blue",
                                                 lw=1.0)
        self.err_here = self.ax_err.scatter([], [], s=60, marker="x", color="tab:red",
                                            zorder=5)
        self.ax_err.set(xlim=(0.0, MAX_HIDDEN + 1), ylim=(1e-8, 1.0),
                        xlabel="hidden units", ylabel="mean squared error",
                        title="error against width (least squares)")
        self.res_text = self.ax_res.text(0.02, 0.95, "", transform=self.ax_res.transAxes,
                                         va="top", fontsize=9)
        self.err_status = self.ax_err.text(0.5, 0.5, "", transform=self.ax_err.transAxes,
                                           ha="center", color="0.4")
        self._lims = {"hid": 0.0, "res": 0.0}
        self.view.dynamic(self.target_line, self.fit_line, self.trained_line,
                          *self.hidden_lines, self.res_line, self.err_curve,
                          self.err_here, self.res_text, self.err_status,
                          self.ax_hid.yaxis, self.ax_res.yaxis)
        self.train_button.on_click(lambda _: guarded(self.errors, self.train)())
        self.start()

    # ------------------------------------------------------------------ compute
    def _data(self) -> tuple[np.ndarray, np.ndarray]:
        return X, TARGETS[_check_target(self.target.value)](X)

    def _set_limit(self, key: str, ax: Any, value: float) -> None:
        lim = next((c for c in _NICE if value <= c), _NICE[-1])
        if lim != self._lims[key]:
            self._lims[key] = lim
            ax.set_ylim(-lim, lim)

    def redraw(self) -> None:
        """Least-squares fit at the current width; error curve if the problem changed."""
        x, y = self._data()
        H, act, seed = int(self.n_hidden.value), self.activation.value, int(self.seed.value)
        with self._lock:
            net = OneHiddenLayerNet(H, act, seed=seed).fit_least_squares(x, y)
            self.net = net
            out = net(x)
            self.mse = net.loss(x, y)
            self.target_line.set_data(x, y)
            self.fit_line.set_data(x, out)
            contrib = net.hidden(x) * net.params["w2"]
            for j, line in enumerate(self.hidden_lines):
                if j < H:
                    line.set_data(x, contrib[:, j])
                    line.set_visible(True)
                else:
                    line.set_visible(False)
            self._set_limit("hid", self.ax_hid, 1.05 * float(np.abs(contrib).max()))
            self.res_line.set_data(x, out - y)
            self._set_limit("res", self.ax_res, 1.1 * float(np.abs(out - y).max()))
            self.res_text.set_text(f"{H} hidden units: mean squared error\n"
                                   f"{self.mse:.2e} (least squares)")
            self.trained = None
            self.trained_line.set_data([], [])
            key = (self.target.value, act, seed)
            if key != self._curve_key:
                self._curve_key = key
                self.errors_by_width = None
                self.err_curve.set_data([], [])
                self.err_status.set_text("computing ...")
                self._start_curve(key)
            self._mark_width()

    def _mark_width(self) -> None:
        H = int(self.n_hidden.value)
        self.err_here.set_offsets([[H, max(self.mse, 1e-8)]])

    def _start_curve(self, key: tuple) -> None:
        target, act, seed = key
        y = TARGETS[target](X)

        def compute(progress: Callable[[float], None]) -> np.ndarray:
            out = np.empty(WIDTHS.size)
            for i, H in enumerate(WIDTHS):
                out[i] = OneHiddenLayerNet(int(H), act, seed=seed).fit_least_squares(
                    X, y).loss(X, y)
                if i % 5 == 4:
                    progress((i + 1) / WIDTHS.size)
            return out

        def done(errors: np.ndarray) -> None:
            with self._lock:
                if key != self._curve_key:
                    return
                self.errors_by_width = errors
                self.err_curve.set_data(WIDTHS, np.maximum(errors, 1e-8))
                self.err_status.set_text("")
                guarded(self.errors, self.view.refresh)()

        def failed(exc: Exception) -> None:
            self.errors.show(f"error curve failed: {exc}")

        self.job.start(compute, done, failed)

    def train(self) -> None:
        """Train every weight of a network of the current width by gradient descent
        (Adam, :data:`TRAIN_EPOCHS` epochs), in the background, and draw it dashed."""
        x, y = self._data()
        H, act, seed = int(self.n_hidden.value), self.activation.value, int(self.seed.value)
        key = (H, act, seed, self.target.value)

        def compute(progress: Callable[[float], None]) -> OneHiddenLayerNet:
            progress(0.05)
            return OneHiddenLayerNet(H, act, seed=seed).fit(x, y, epochs=TRAIN_EPOCHS,
                                                            lr=TRAIN_LR)

        def done(net: OneHiddenLayerNet) -> None:
            with self._lock:
                now = (int(self.n_hidden.value), self.activation.value,
                       int(self.seed.value), self.target.value)
                if now != key:
                    return
                self.trained = net
                self.trained_line.set_data(x, net(x))
                self.res_text.set_text(f"{H} hidden units: mean squared error\n"
                                       f"{self.mse:.2e} (least squares), "
                                       f"{net.loss(x, y):.2e} (trained)")
                guarded(self.errors, self.view.refresh)()

        def failed(exc: Exception) -> None:
            self.errors.show(f"training failed: {exc}")

        self.job.start(compute, done, failed)



def universal_approximation(n_hidden: int = 5, activation: str = "sigmoid",
                            target: str = "sin(3x)", seed: int = 0
                            ) -> UniversalApproximator:
    """A one-hidden-layer network fitted to a target (see :class:`UniversalApproximator`).

    Parameters
    ----------
    n_hidden : int
        Hidden units (1 to 40).
    activation : {"sigmoid", "relu"}
    target : str
        One of :data:`TARGETS`.
    seed : int
        Seed of the random hidden layer (0 to 20).

    Returns
    -------
    UniversalApproximator
    """
    return UniversalApproximator(n_hidden, activation, target, seed)
