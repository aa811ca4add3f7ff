"""Spike-train dashboards: Poisson trains, rho(t), count statistics and rate estimates.

- :class:`PoissonExplorer` (factory :func:`poisson_spikes`): rate, bin width dt, counting
  window T and number of trials; a raster, the response function rho(t) of the first
  trial (boxes of height 1/dt), the histogram of counts per window against the Poisson
  probabilities (:func:`neurolab.analysis.poisson_probability`), CV and Fano factor.
  When r dt is too large the generator's warning or error shows in the error line.
- :class:`RateEstimation` (factory :func:`rate_estimation`): an inhomogeneous Poisson
  process with a sinusoidal rate; a raster, the PSTH (:func:`neurolab.analysis.psth`)
  and a kernel estimate from the first trial (:func:`neurolab.analysis.firing_rate`)
  against the true rate.

Spike trains come from :func:`neurolab.analysis.poisson_spike_train`; this module only
arranges and labels the numbers.
"""

from __future__ import annotations

import warnings
from typing import Any

import ipywidgets as W
import numpy as np

from ..analysis import (
    cv,
    fano_factor,
    firing_rate,
    poisson_probability,
    poisson_spike_train,
    psth,
    response_function,
)
from ..plots import plot_psth, plot_raster
from .core import STYLE, App, guarded, slider

__all__ = ["PoissonExplorer", "poisson_spikes", "RateEstimation", "rate_estimation"]


class _WarningApp(App):
    """An app whose computation may warn: the warning shows in the error line."""

    _warning = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._throttled.fn = self._guarded_redraw

    def _guarded_redraw(self) -> None:
        self._warning = ""
        guarded(self.errors, self._redraw_and_refresh)()
        if self._warning and not self.error:
            self.errors.show(self._warning)

    def start(self, extra: Any = ()) -> None:
        """Wire the controls, lay out the app and draw it once."""
        super().start(extra)
        if self._warning and not self.error:
            self.errors.show(self._warning)

    def _trains(self, rate: Any, duration: float, dt: float, n: int, seed: int
                ) -> list[np.ndarray]:
        rng = np.random.default_rng(seed)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            trains = [poisson_spike_train(rate, duration, dt, rng) for _ in range(n)]
        if caught:
            self._warning = f"Warning: {caught[0].message}"
        return trains

    def _show_trains(self, trains: list[np.ndarray]) -> None:
        """Keep the trains and draw them in the raster (``self._raster`` on ``self.ax_r``)."""
        self.trains = trains
        n = len(trains)
        self._raster["ticks"].set_segments([])
        self._raster.update(trains)
        if self.ax_r.get_ylim() != (0.3, n + 0.7):
            self.view.invalidate()
        self.ax_r.set_ylim(0.3, n + 0.7)


class PoissonExplorer(_WarningApp):
    """Homogeneous Poisson spike trains and their count statistics.

    Controls (in order): rate r (Hz), bin width dt (ms), counting window T (ms), number
    of trials, random seed. Each trial lasts :attr:`duration` ms.

    Attributes
    ----------
    trains : list of numpy.ndarray
        Spike times (ms) of the trials drawn last.
    counts : numpy.ndarray
        Spike counts in consecutive windows of length T, pooled over the trials.
    stats : dict
        ``"cv"`` (of the pooled ISIs of trial 1, or nan), ``"fano"`` (nan when
        undefined), ``"mean_count"``, ``"rT"`` (expected count r T).
    """

    duration = 2000.0
    rho_span = 200.0  # ms of trial 1 shown as rho(t)

    def __init__(self, rate: float = 20.0, dt: float = 1.0, window: float = 100.0,
                 trials: int = 20, seed: int = 1) -> None:
        super().__init__(figsize=(9.0, 5.0))
        self.rate = slider("rate r", rate, 0.0, 500.0, 1.0, "Hz", "mean firing rate")
        self.dt = W.FloatLogSlider(value=dt, base=10, min=-2, max=1, step=0.05,
                                   description="bin dt (ms)", readout_format=".3g",
                                   style=STYLE, layout=W.Layout(width="24em"))
        self.window = slider("window T", window, 10.0, 500.0, 10.0, "ms",
                             "length of the counting window")
        self.trials = W.IntSlider(value=trials, min=1, max=100, description="trials",
                                  style=STYLE, layout=W.Layout(width="24em"))
        self.seed = W.IntText(value=seed, description="random seed", style=STYLE,
                              layout=W.Layout(width="16em"))
        self.controls = [self.rate, self.dt, self.window, self.trials, self.seed]
        self.trains: list[np.ndarray] = []
        self.counts = np.zeros(0)
        self.stats: dict[str, float] = {}
        self._xmax = 0
        self._build_axes()
        self.start()

    def _build_axes(self) -> None:
        fig = self.figure
        self.ax_r = fig.add_axes((0.08, 0.62, 0.90, 0.33))
        self.ax_rho = fig.add_axes((0.08, 0.10, 0.40, 0.36))
        self.ax_h = fig.add_axes((0.58, 0.10, 0.40, 0.33))
        self._raster = plot_raster(self.ax_r, [np.zeros(0)])
        self.ax_r.set_xlim(0.0, self.duration)
        self.ax_r.set_title("raster: one row per trial", fontsize=9)
        self.ax_r.set_ylim(0.3, 100.7)
        ax = self.ax_rho
        (self._rho,) = ax.plot([], [], color="k", lw=1.0, drawstyle="steps-post")
        ax.set_xlim(0.0, self.rho_span)
        ax.set_yscale("symlog", linthresh=0.1)
        ax.set_ylim(0.0, 200.0)
        ax.set_xlabel("t (ms)")
        ax.set_ylabel("ρ(t) (1/ms)")
        ax.set_title("trial 1 as ρ(t): each spike is a box of height 1/dt", fontsize=9)
        self._rho_text = ax.text(0.98, 0.95, "", transform=ax.transAxes, ha="right",
                                 va="top", fontsize=8)
        ax = self.ax_h
        self._hist = ax.stairs(np.zeros(1), np.array([-0.5, 0.5]), fill=True,
                               color="tab:blue", alpha=0.6, label="simulated")
        (self._pois,) = ax.plot([], [], "o-", color="tab:red", ms=3, lw=1,
                                label="Poisson (rT)ⁿe^(−rT)/n!")
        ax.set_xlabel("spikes n in a window of length T")
        ax.set_ylabel("probability")
        ax.legend(loc="upper right", fontsize=7, frameon=False)
        self._stats_text = fig.text(0.58, 0.475, "", va="bottom", fontsize=8)
        self.view.dynamic(self._raster["ticks"], self._rho, self._rho_text, self._hist,
                          self._pois, self._stats_text)

    def redraw(self) -> None:
        """Draw new trains and update every panel."""
        r, dt, T = self.rate.value, self.dt.value, self.window.value
        n = int(self.trials.value)
        trains = self._trains(r, self.duration, dt, n, int(self.seed.value))
        self._show_trains(trains)
        # rho(t) of trial 1 on the generation grid
        t = np.arange(0.0, self.rho_span, dt)
        rho = response_function(trains[0], t)
        self._rho.set_data(t, rho)
        shown = trains[0][trains[0] < self.rho_span].size
        self._rho_text.set_text(f"spikes: {shown}   ∫ρ dt = {rho.sum() * dt:.4g}\n"
                                f"height of one spike 1/dt = {1.0 / dt:.3g} /ms")
        # counts in consecutive windows
        n_win = int(self.duration // T)
        edges = T * np.arange(n_win + 1)
        counts = np.concatenate([np.histogram(s, edges)[0] for s in trains])
        self.counts = counts
        mu = r * T / 1000.0
        xmax = int(max(counts.max(initial=0), mu + 4.0 * np.sqrt(mu) + 3.0))
        ks = np.arange(xmax + 1)
        freq = np.bincount(counts, minlength=xmax + 1)[: xmax + 1] / counts.size
        self._hist.set_data(freq, np.arange(xmax + 2) - 0.5)
        self._pois.set_data(ks, poisson_probability(ks, r, T))
        if xmax != self._xmax or self.ax_h.get_ylim()[1] < 1.1 * freq.max():
            self._xmax = xmax
            self.ax_h.set_xlim(-0.5, xmax + 0.5)
            top = max(float(freq.max()), float(poisson_probability(ks, r, T).max()))
            self.ax_h.set_ylim(0.0, 1.25 * top)
            self.view.invalidate()
        self.stats = {"rT": mu, "mean_count": float(counts.mean())}
        try:
            self.stats["cv"] = cv(trains[0])
        except ValueError:
            self.stats["cv"] = float("nan")
        try:
            self.stats["fano"] = fano_factor(trains, T, duration=self.duration)
        except ValueError:
            self.stats["fano"] = float("nan")
        self._stats_text.set_text(
            f"r·T = {mu:.3g}, mean count {self.stats['mean_count']:.3g}, "
            f"r·dt = {r * dt / 1000.0:.3g}\n"
            f"Fano factor {self.stats['fano']:.2f},  CV of ISIs (trial 1) "
            f"{self.stats['cv']:.2f}")


def poisson_spikes(rate: float = 20.0, dt: float = 1.0, window: float = 100.0,
                   trials: int = 20, seed: int = 1) -> PoissonExplorer:
    """Poisson spike trains: raster, rho(t), counts per window, CV and Fano factor.

    Parameters
    ----------
    rate : float
        Firing rate (Hz).
    dt : float
        Bin width of the one-uniform-number-per-bin generator (ms).
    window : float
        Counting window T (ms).
    trials : int
        Number of trains, each 2000 ms long.
    seed : int
        Seed of the random generator (the same seed redraws the same trains).

    Returns
    -------
    PoissonExplorer
    """
    return PoissonExplorer(rate, dt, window, trials, seed)


class RateEstimation(_WarningApp):
    """Estimating a time-varying rate: PSTH over trials and a kernel estimate.

    The true rate is r(t) = r0 + r1 sin(2 pi f t) (Hz, t in ms / 1000), r1 <= r0.
    Controls (in order): PSTH bin (ms), trials, kernel width (ms), modulation
    frequency f (Hz), seed.

    Attributes
    ----------
    trains : list of numpy.ndarray
        Spike times of the trials (ms).
    psth_rate : numpy.ndarray
        PSTH (Hz), one value per bin.
    kernel_rate : numpy.ndarray
        Gaussian-kernel estimate from trial 1 (Hz) on :attr:`t`.
    """

    duration = 1000.0
    dt = 0.5  # ms; r dt <= 0.035 at the peak rate of 70 Hz
    r0 = 40.0
    r1 = 30.0

    def __init__(self, bin: float = 20.0, trials: int = 30, width: float = 20.0,
                 frequency: float = 3.0, seed: int = 2) -> None:
        super().__init__(figsize=(9.0, 4.6))
        self.bin = slider("PSTH bin", bin, 1.0, 200.0, 1.0, "ms", "width of the histogram bins")
        self.trials = W.IntSlider(value=trials, min=1, max=200, description="trials",
                                  style=STYLE, layout=W.Layout(width="24em"))
        self.width = slider("kernel width σ", width, 1.0, 200.0, 1.0, "ms",
                            "standard deviation of the Gaussian kernel")
        self.frequency = slider("modulation f", frequency, 0.0, 10.0, 0.5, "Hz",
                                "frequency of the true rate's modulation")
        self.seed = W.IntText(value=seed, description="random seed", style=STYLE,
                              layout=W.Layout(width="16em"))
        self.controls = [self.bin, self.trials, self.width, self.frequency, self.seed]
        self.t = np.arange(0.0, self.duration, 1.0)
        self._build_axes()
        self.start()

    def true_rate(self, t: np.ndarray) -> np.ndarray:
        """The rate that generates the trains (Hz) at times t (ms)."""
        f = self.frequency.value
        return self.r0 + self.r1 * np.sin(2.0 * np.pi * f * np.asarray(t) / 1000.0)

    def _build_axes(self) -> None:
        fig = self.figure
        self.ax_r = fig.add_axes((0.08, 0.60, 0.90, 0.34))
        self.ax_p = fig.add_axes((0.08, 0.11, 0.90, 0.38), sharex=self.ax_r)
        self._raster = plot_raster(self.ax_r, [np.zeros(0)])
        self.ax_r.set_xlim(0.0, self.duration)
        self.ax_r.set_xlabel("")
        self.ax_r.tick_params(labelbottom=False)
        self.ax_r.set_title(f"inhomogeneous Poisson trains, r(t) = {self.r0:g} + "
                            f"{self.r1:g} sin(2π f t) Hz", fontsize=9)
        self._psth = plot_psth(self.ax_p, np.array([0.0, self.duration]), np.zeros(1),
                               color="tab:blue")
        self._psth["bars"].set_label("PSTH (all trials)")
        ax = self.ax_p
        (self._kernel,) = ax.plot([], [], color="tab:orange", lw=1.3,
                                  label="kernel estimate (trial 1)")
        (self._true,) = ax.plot([], [], color="k", lw=1.5, ls="--", label="true rate")
        ax.set_xlim(0.0, self.duration)
        ax.set_ylim(0.0, 160.0)
        ax.legend(loc="upper right", fontsize=7, ncols=3, frameon=False)
        self.view.dynamic(self._raster["ticks"], self._psth["bars"], self._kernel,
                          self._true)

    def redraw(self) -> None:
        """Draw new trains; update the raster, PSTH, kernel estimate and true rate."""
        n = int(self.trials.value)
        grid = np.arange(int(round(self.duration / self.dt))) * self.dt
        trains = self._trains(self.true_rate(grid), self.duration, self.dt, n,
                              int(self.seed.value))
        self._show_trains(trains)
        centers, rate = psth(trains, self.bin.value, duration=self.duration)
        self.psth_rate = rate
        b = self.bin.value
        edges = np.append(np.minimum(np.arange(centers.size) * b, self.duration),
                          self.duration)
        self._psth["bars"].set_data(rate, edges)
        self.kernel_rate = firing_rate(trains[0], self.t, "gaussian", self.width.value)
        self._kernel.set_data(self.t, self.kernel_rate)
        self._true.set_data(self.t, self.true_rate(self.t))


def rate_estimation(bin: float = 20.0, trials: int = 30, width: float = 20.0,
                    frequency: float = 3.0, seed: int = 2) -> RateEstimation:
    """Firing-rate estimates (PSTH and kernel) of an inhomogeneous Poisson process.

    Parameters
    ----------
    bin : float
        PSTH bin width (ms).
    trials : int
        Number of trials (each 1000 ms).
    width : float
        Standard deviation of the Gaussian kernel (ms).
    frequency : float
        Modulation frequency of the true rate (Hz).
    seed : int
        Random seed.

    Returns
    -------
    RateEstimation
    """
    return RateEstimation(bin, trials, width, frequency, seed)
