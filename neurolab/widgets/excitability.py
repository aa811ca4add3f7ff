"""Hodgkin's excitability classes: F-I curve, bifurcation diagram and trace, linked by I.

:class:`ExcitabilityExplorer` (factory :func:`excitability_explorer`) shows, for one
model picked from the menu the notebook passes (label -> model, or -> a
:class:`ModelChoice` with the current range and run settings), the gain (F-I) curve, the
bifurcation diagram in the injected current and the voltage trace at the current chosen
with the slider. The slider
only moves a "you are here" marker on the two curves and re-runs the trace; the F-I
curve, the class (:func:`neurolab.analysis.excitability_class`) and the bifurcations
(:func:`neurolab.analysis.bifurcation_diagram`) are computed in the background when the
model changes. All numbers come from :mod:`neurolab`; this module only arranges them.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import numpy as np

from ..analysis import bifurcation_diagram, excitability_class, fi_curve
from ..models.base import Model
from ..plots import plot_bifurcation_diagram, plot_fi_curve
from ..plots._common import current_label, pretty_unit, state_unit, time_label
from ..plots.stability import bifurcation_label
from ..simulate import simulate
from ..stimulus import step
from ._models import as_menu, pick
from .core import App, BackgroundJob, slider

__all__ = ["ExcitabilityExplorer", "excitability_explorer", "ModelChoice"]


@dataclass(frozen=True)
class ModelChoice:
    """One entry of the model picker: a model and how to show it.

    Attributes
    ----------
    model : Model
        The model.
    I_range : (float, float), optional
        Currents shown (model ``current_unit``); default the model's ``current_range``.
        Choose a range that contains the onset of firing.
    dt : float, optional
        Time step for the F-I runs and the trace (ms); None for the model's default.
    trace_ms : float, optional
        Length of the trace shown (model time units); default ``start_duration``.
    source : str
        Where the model and its parameters come from (shown under the label).
    """

    model: Model
    I_range: tuple[float, float] | None = None
    dt: float | None = None
    trace_ms: float | None = None
    source: str = ""

    def filled(self) -> ModelChoice:
        """The entry with its defaults taken from the model."""
        m = self.model
        I_range = tuple(map(float, self.I_range if self.I_range is not None
                            else m.current_range))
        if not I_range[0] < I_range[1]:
            raise ValueError(f"I_range must be (low, high) with low < high; got {I_range}")
        trace = float(m.start_duration if self.trace_ms is None else self.trace_ms)
        return ModelChoice(m, I_range, self.dt, trace, self.source)


_CLASS_TEXT = {
    1: "class 1: firing starts at an arbitrarily low rate",
    2: "class 2: firing starts with a jump to a nonzero rate",
    3: "class 3: one spike at the onset of a step, no repetitive firing",
}

#: Points of the F-I curve and length of each of its runs (ms).
N_CURRENTS = 41
FI_DURATION = 500.0
#: Onset of the current step in the trace (ms).
STEP_ONSET = 10.0


class ExcitabilityExplorer(App):
    """F-I curve, bifurcation diagram and trace of one model, linked by the current.

    Parameters
    ----------
    models : Model, list or dict
        The menu: one model, a list of models, or a dict label -> model or
        :class:`ModelChoice`.
    selected : str, optional
        Label of the entry shown first (default the first).
    I : float, optional
        Initial current (model units); default 60 % across the model's range.

    Attributes
    ----------
    current : ipywidgets.FloatSlider
        The injected current (the first control).
    picker : ipywidgets.Dropdown
        The model.
    info : ipywidgets.HTML
        Class label and bifurcations (filled when the background jobs finish).
    diagram_job : BackgroundJob
        Computes the bifurcation diagram (``self.job`` computes the F-I curve and class).
    rates, klass, diagram, trace :
        The latest results (None while they are being computed).
    """

    def __init__(self, models: Any, selected: str | None = None,
                 I: float | None = None) -> None:
        menu = as_menu("models", models, lambda m: ModelChoice(m), ModelChoice)
        self.catalogue = {k: c.filled() for k, c in menu.items()}
        selected = pick("selected", self.catalogue, selected)
        super().__init__(figsize=(10.0, 6.4))
        self.diagram_job = BackgroundJob()
        self.choice = self.catalogue[selected]
        self.model = self.choice.model
        lo, hi = self.choice.I_range
        self.current = slider("I", lo + 0.6 * (hi - lo) if I is None else I, lo, hi,
                              (hi - lo) / 200.0, self.model.current_unit,
                              "constant injected current (step at 10 ms)")
        self.picker = W.Dropdown(options=list(self.catalogue), value=selected,
                                 description="model", layout=W.Layout(width="24em"))
        self.picker.layout.display = None if len(self.catalogue) > 1 else "none"
        self.info = W.HTML(value="")
        self.info.add_class("neurolab-info")
        self.controls = [self.current, self.picker]
        self.rates: np.ndarray | None = None
        self.currents = np.linspace(lo, hi, N_CURRENTS)
        self.klass: int | None = None
        self.diagram: Any = None
        self.trace: Any = None
        self._class_error = ""
        self._diagram_error = ""

        gs = self.figure.add_gridspec(2, 2, height_ratios=[1.0, 0.8], hspace=0.45,
                                      wspace=0.28, left=0.08, right=0.98, top=0.94,
                                      bottom=0.09)
        self.ax_fi = self.figure.add_subplot(gs[0, 0])
        self.ax_bif = self.figure.add_subplot(gs[0, 1])
        self.ax_tr = self.figure.add_subplot(gs[1, :])
        self.fi = plot_fi_curve(self.ax_fi, self.currents, np.zeros(N_CURRENTS),
                                float(self.current.value), model=self.model)
        self.ax_fi.set_title("F-I (gain) curve", fontsize=10)
        self.bif = None
        (self.bif_marker,) = self.ax_bif.plot([], [], color="tab:red", lw=1.0, ls=":",
                                              transform=self.ax_bif.get_xaxis_transform())
        self.bif_wait = self.ax_bif.text(0.5, 0.5, "", transform=self.ax_bif.transAxes,
                                         ha="center", va="center", fontsize=9, color="0.4")
        self.ax_bif.set_title("bifurcation diagram", fontsize=10)
        (self.trace_line,) = self.ax_tr.plot([], [], color="k", lw=1.1)
        self.trace_text = self.ax_tr.text(0.99, 0.95, "", transform=self.ax_tr.transAxes,
                                          ha="right", va="top", fontsize=9)
        self.view.dynamic(self.fi.artists["marker"], self.bif_marker, self.trace_line,
                          self.trace_text)
        self._configure_axes()
        self.picker.observe(self._on_model, names="value")
        self.start(extra=[self.info, self.diagram_job.progress])
        self._start_jobs()

    # ------------------------------------------------------------------ model switch
    def _configure_axes(self) -> None:
        """Fixed limits and labels for the current model (the background is redrawn)."""
        m, lo, hi = self.model, *self.choice.I_range
        for ax in (self.ax_fi, self.ax_bif):
            ax.set_xlim(lo, hi)
            ax.set_xlabel(current_label(m))
        self.ax_fi.set_ylim(0.0, 1.0)
        name = m.state_names[0]
        self.ax_tr.set_xlim(0.0, self.choice.trace_ms)
        self.ax_tr.set_xlabel(time_label(m))
        self.ax_tr.set_ylabel(f"{name} ({pretty_unit(state_unit(m, name)) or '-'})")
        self.ax_tr.set_ylim(*self._voltage_limits())
        self.ax_bif.set_ylabel(self.ax_tr.get_ylabel())
        self.view.invalidate()

    def _voltage_limits(self) -> tuple[float, float]:
        """Range of the first state over a run at the top current and at rest."""
        lo, hi = self.choice.I_range
        tr = simulate(self.model, self.choice.trace_ms, dt=self.choice.dt,
                      current=step(hi, STEP_ONSET), y0=self.model.initial_state(0.0))
        v = tr.y[0]
        rest = self.model.initial_state(lo)[0]
        a, b = min(float(v.min()), rest), max(float(v.max()), rest)
        pad = 0.08 * max(b - a, 1e-3)
        return a - pad, b + pad

    def _on_model(self, change: dict) -> None:
        def switch() -> None:
            with self._lock:
                self.choice = self.catalogue[change["new"]]
                self.model = self.choice.model
                lo, hi = self.choice.I_range
                self.current.unobserve(self.update, names="value")
                try:
                    self.current.min, self.current.max = min(lo, self.current.min), hi
                    self.current.min = lo
                    self.current.step = (hi - lo) / 200.0
                    self.current.value = lo + 0.6 * (hi - lo)
                    self.current.description = f"I ({self.model.current_unit})"
                finally:
                    self.current.observe(self.update, names="value")
                self.currents = np.linspace(lo, hi, N_CURRENTS)
                self.rates, self.klass, self.diagram = None, None, None
                self._class_error = self._diagram_error = ""
                self.fi.update(self.currents, np.zeros(N_CURRENTS), rescale=False)
                self._clear_diagram()
                self._configure_axes()
                self._redraw_and_refresh()
            self._start_jobs()

        from .core import guarded

        guarded(self.errors, switch)()

    def _clear_diagram(self) -> None:
        if self.bif is not None:
            for key, art in self.bif.artists.items():
                if key == "labels":
                    for t in art:
                        t.remove()
                    self.bif.artists["labels"] = []
                elif key != "marker":
                    art.set_visible(False)
            legend = self.ax_bif.get_legend()
            if legend is not None:
                legend.set_visible(False)

    # ------------------------------------------------------------------ background
    def _start_jobs(self) -> None:
        model, choice, currents = self.model, self.choice, self.currents
        self.bif_wait.set_text("computing the bifurcation diagram ...")
        self._update_info()

        def compute_fi(progress: Callable[[float], None]) -> tuple[np.ndarray, Any]:
            rates = fi_curve(model, currents, FI_DURATION, choice.dt,
                             lambda x: progress(0.6 * x))
            try:
                klass: Any = excitability_class(model, choice.I_range,
                                                duration=FI_DURATION, dt=choice.dt)
            except ValueError as exc:
                klass = exc
            progress(1.0)
            return rates, klass

        def done_fi(result: tuple[np.ndarray, Any]) -> None:
            if model is not self.model:
                return
            rates, klass = result
            with self._lock:
                self.rates = rates
                if isinstance(klass, Exception):
                    self.klass, self._class_error = None, str(klass)
                else:
                    self.klass, self._class_error = int(klass), ""
                self.fi.update(currents, rates, rescale=False)
                self.ax_fi.set_ylim(0.0, max(10.0, 1.1 * float(np.max(rates))))
                self._update_info()
                self.view.invalidate()
                self.view.refresh()

        def compute_diagram(progress: Callable[[float], None]) -> Any:
            return bifurcation_diagram(model, choice.I_range, progress)

        def done_diagram(diagram: Any) -> None:
            if model is not self.model:
                return
            with self._lock:
                self.diagram = diagram
                self._show_diagram(diagram)
                self._update_info()
                self.view.invalidate()
                self.view.refresh()

        def failed(kind: str) -> Callable[[Exception], None]:
            def on_error(exc: Exception) -> None:
                if model is not self.model:
                    return
                with self._lock:
                    msg = f"{type(exc).__name__}: {exc}" if not isinstance(
                        exc, ValueError) else str(exc)
                    if kind == "fi":
                        self._class_error = msg
                    else:
                        self._diagram_error = msg
                        self.bif_wait.set_text("no diagram (see the note on the left)")
                    self._update_info()
                    self.view.invalidate()
                    self.view.refresh()
            return on_error

        self.job.start(compute_fi, done_fi, failed("fi"))
        self.diagram_job.start(compute_diagram, done_diagram, failed("diagram"))

    def _show_diagram(self, diagram: Any) -> None:
        I_now = float(self.current.value)
        if self.bif is None:
            self.bif = plot_bifurcation_diagram(self.ax_bif, diagram, None, model=self.model)
        else:
            for key, art in self.bif.artists.items():
                if key not in ("labels", "marker"):
                    art.set_visible(True)
            self.bif.update(diagram=diagram, rescale=False)
            legend = self.ax_bif.get_legend()
            if legend is not None:
                legend.set_visible(True)
        self.bif_wait.set_text("")
        self.ax_bif.set_xlim(*self.choice.I_range)
        self.ax_bif.set_ylim(*self.ax_tr.get_ylim())
        self.ax_bif.set_xlabel(current_label(self.model))
        self.bif_marker.set_data([I_now, I_now], [0.0, 1.0])

    def wait(self, timeout: float | None = None) -> None:
        """Block until both background jobs have finished (tests and notebook checks)."""
        self.job.wait(timeout)
        self.diagram_job.wait(timeout)

    # ------------------------------------------------------------------ text
    def _update_info(self) -> None:
        unit = pretty_unit(self.model.current_unit) or "(dimensionless)"
        lines = [f"<b>{html.escape(self.picker.value)}</b>"]
        if self.choice.source:
            lines.append(f"<small>{html.escape(self.choice.source)}</small>")
        if self.klass is not None:
            lines.append(f"Hodgkin's {html.escape(_CLASS_TEXT[self.klass])}")
        elif self._class_error:
            lines.append(f"class: not determined ({html.escape(self._class_error)})")
        else:
            lines.append("class: computing ...")
        if self.diagram is not None:
            bifs = self.diagram.bifurcations
            if bifs:
                items = "".join(f"<li>{html.escape(bifurcation_label(b))} at I = "
                                f"{b.I:.3g} {html.escape(unit)}</li>" for b in bifs)
                lines.append(f"bifurcations in this range:<ul style='margin:0'>{items}"
                             "</ul>")
            else:
                lines.append("no bifurcation of a smooth flow in this range (for a reset "
                             "model the threshold is the reset rule itself)")
        elif self._diagram_error:
            lines.append(f"bifurcations: not determined ({html.escape(self._diagram_error)})")
        else:
            lines.append("bifurcations: computing ...")
        self.info.value = "<div style='line-height:1.4'>" + "<br>".join(lines) + "</div>"

    # ------------------------------------------------------------------ redraw

    def redraw(self) -> None:
        """Move the markers to the slider's current and re-run the trace there."""
        I = float(self.current.value)
        self.fi.update(I_marker=I)
        self.bif_marker.set_data([I, I], [0.0, 1.0])
        tr = simulate(self.model, self.choice.trace_ms, dt=self.choice.dt,
                      current=step(I, STEP_ONSET), y0=self.model.initial_state(0.0))
        self.trace = tr
        self.trace_line.set_data(tr.t, tr.y[0])
        n = len(tr.spike_times)
        unit = pretty_unit(self.model.current_unit)
        self.trace_text.set_text(f"step to I = {I:.3g} {unit} at t = {STEP_ONSET:g}: "
                                 f"{n} spike{'s' if n != 1 else ''}")


def excitability_explorer(models: Any, selected: str | None = None,
                          I: float | None = None) -> ExcitabilityExplorer:
    """F-I curve, bifurcation diagram and trace of a model, with a current slider.

    Parameters
    ----------
    models : Model, list or dict
        The models of the picker: one model, a list of models (labelled by their
        titles), or a dict label -> model or :class:`ModelChoice` (current range, time
        step, trace length and source of each).
    selected : str, optional
        Label of the model shown first (default the first).
    I : float, optional
        Initial current (model current units).

    Returns
    -------
    ExcitabilityExplorer
        Display it (last expression of a cell).

    Raises
    ------
    ValueError
        For an entry that is not a model or ModelChoice, a bad current range, or an
        unknown ``selected`` label.
    """
    return ExcitabilityExplorer(models, selected, I)
