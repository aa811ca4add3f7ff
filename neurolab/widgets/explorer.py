"""The model explorer: pick a model, move its current and parameters, watch the voltage
trace and the phase portrait respond.

One current slider links every panel: the trace (first state and injected current),
the phase plane at that current (vector field, nullclines, fixed points by kind and the
run's trajectory; a phase line for one-dimensional models; the plane of the reduction
a larger model names in ``plane``), and optionally the F-I curve and the bifurcation
diagram, which are computed in the background when the model's parameters change and
carry a "you are here" line that the current slider moves at once.

Numbers come from :mod:`neurolab` (models, :func:`neurolab.simulate.simulate`,
:mod:`neurolab.analysis`); drawing from :mod:`neurolab.plots`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.gridspec import GridSpec

from .. import analysis as an
from .. import stimulus as S
from .._validation import check_choice, check_number
from ..models.base import Model
from ..models.registry import lookup, registered
from ..plots import pretty_unit
from ..simulate import simulate
from ._explorer_views import BifurcationPanel, FIPanel, TracePanel, phase_panel_for
from .core import App, Cancelled, controls_for, guarded, slider

__all__ = ["Explorer", "explorer", "resolve_model", "PANELS", "STIMULI", "PUBLISHED"]

#: Panels an explorer can show.
PANELS = ("trace", "phase", "fi", "bifurcation")
#: Stimulus kinds; the current slider sets the amplitude of each.
STIMULI = ("step", "constant", "pulses", "ramp", "sine", "noise")
#: Stimulus kind of a preset that comes with its own protocol (e.g. a published firing
#: pattern): that stimulus, plus the current slider's I.
PUBLISHED = "published"
#: Length of each run of the F-I curve (ms) and number of currents.
FI_DURATION = 500.0
FI_POINTS = 41
#: Range of the duration slider (ms).
DURATION_RANGE = (10.0, 1000.0)


def resolve_model(model_or_name: Model | str | type | None) -> Model:
    """A model instance from an instance, a class, or a name.

    Parameters
    ----------
    model_or_name : Model, model class, str or None
        None for the first model of the playground's menu; a model; a model class (made
        by :func:`neurolab.models.define_model`); or the menu title or class name of a
        registered model, in any case.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the valid names.
    """
    if model_or_name is None:
        return next(iter(registered().values()))()
    if isinstance(model_or_name, Model):
        return model_or_name
    if isinstance(model_or_name, type) and issubclass(model_or_name, Model) and \
            model_or_name._definition is not None:
        return model_or_name()
    if isinstance(model_or_name, str):
        return lookup(model_or_name)()
    raise ValueError(f"model must be a neurolab model, a model class or a model's name; "
                     f"got {model_or_name!r}")


def _check_panels(panels: Any) -> tuple[str, ...]:
    if isinstance(panels, str):
        panels = (panels,)
    try:
        out = tuple(panels)
    except TypeError:
        raise ValueError(f"panels must be a sequence of {PANELS}; got {panels!r}") from None
    if not out:
        raise ValueError(f"panels must name at least one of {PANELS}; got ()")
    for p in out:
        check_choice("panels", p, PANELS)
    if len(set(out)) != len(out):
        raise ValueError(f"panels must not repeat a panel; got {out}")
    return out


def _current_step(lo: float, hi: float) -> float:
    """Slider step: a power of ten near a thousandth of the range."""
    return 10.0 ** math.floor(math.log10((hi - lo) / 1000.0))


def _matching_preset(model: Model) -> str | None:
    for name in type(model).presets:
        try:
            if type(model).preset(name) == model:
                return name
        except ValueError:
            continue
    return None


def _protocol(cls: type, name: str | None) -> Any:
    """The preset's own protocol (a :class:`~neurolab.models.Preset` with a stimulus),
    or None."""
    if not name:
        return None
    info = cls.preset_info(name)
    return info if info.stimulus is not None else None


def _set_slider(s: W.FloatSlider, value: float, lo: float | None = None,
                hi: float | None = None) -> None:
    """Set a slider's value (and range), widening the range so the value is never clamped."""
    lo = s.min if lo is None else lo
    hi = s.max if hi is None else hi
    lo, hi = min(lo, value), max(hi, value)
    s.max = max(s.max, hi)
    s.min = min(s.min, lo)
    s.value = value
    s.min = lo
    s.max = hi


class Explorer(App):
    """Trace + phase portrait (+ F-I curve, bifurcation diagram) of one model.

    Parameters
    ----------
    model : Model, model class, str or None
        The model, or the name of a registered model (None: the first of the menu).
    I : float, optional
        Starting current (model current units); default the model's ``start_current``
        (0 for a preset with its own stimulus, e.g. a published firing pattern).
    duration : float, optional
        Length of each run (ms), in (0, 10000].
    panels : sequence of str
        Any of ``"trace"``, ``"phase"``, ``"fi"``, ``"bifurcation"``.
    stimulus : str
        Starting stimulus kind, one of :data:`STIMULI`.
    preset : str, optional
        A preset of the model class (see ``Model.presets``).
    figsize : (float, float), optional
        Figure size (inches).

    Attributes
    ----------
    current, duration : ipywidgets.FloatSlider
        The current slider (first control) and the duration slider.
    stimulus, preset : ipywidgets.Dropdown
    params : dict of str to ipywidgets.FloatSlider
        The parameter sliders, by parameter name.
    panels : dict of str to panel
        The figure's panels; ``panels["phase"].points`` are the fixed points shown.
    model, trace : Model, Trace
        What the figure shows now.
    """

    def __init__(self, model: Model | str | type | None = None, I: float | None = None,
                 duration: float | None = None, panels: Sequence[str] = ("trace", "phase"),
                 *, stimulus: str = "step", preset: str | None = None,
                 figsize: tuple[float, float] | None = None) -> None:
        self.panel_names = _check_panels(panels)
        top = [p for p in self.panel_names if p in ("trace", "phase")]
        bottom = [p for p in self.panel_names if p in ("fi", "bifurcation")]
        self._rows = [r for r in (top, bottom) if r]
        ncols = max(len(r) for r in self._rows)
        size = figsize or (4.9 * ncols + (3.0 if ncols == 1 else 0.0),
                           3.5 * len(self._rows) + 0.5)
        super().__init__(figsize=size)
        self.panels: dict[str, Any] = {}
        self.model: Model | None = None
        self.trace: Any = None
        self.I_plane = 0.0
        self._pattern: Any = None
        self._needs_build = True
        self._job_model: Model | None = None

        self.current = slider("I", 0.0, -1.0, 1.0, 0.01)
        self.current.add_class("neurolab-current")
        self.stimulus = W.Dropdown(options=list(STIMULI), value="step",
                                   description="stimulus", style={"description_width":
                                                                  "9em"},
                                   layout=W.Layout(width="24em"))
        self.stimulus_note = W.HTML(layout=W.Layout(width="24em", margin="0 0 0 9.5em"))
        self.duration = slider("duration", 100.0, *DURATION_RANGE, 5.0, "ms")
        self.preset = W.Dropdown(options=[], description="preset",
                                 style={"description_width": "9em"},
                                 layout=W.Layout(width="24em"))
        self.params: dict[str, W.FloatSlider] = {}
        self.param_box = W.Accordion(children=[W.VBox([])], titles=("model parameters",),
                                     selected_index=None)
        self.controls = [self.current, self.stimulus, self.stimulus_note, self.duration,
                         self.preset, self.param_box]
        self._configure(resolve_model(model), I, duration, stimulus, preset)
        for w in (self.current, self.stimulus, self.duration):
            w.observe(self.update, names="value")
        self.preset.observe(self._on_preset, names="value")
        self.status = W.HTML(layout=W.Layout(margin="0 0 0 1em"))
        self.status.add_class("neurolab-status")
        self.widget = self.layout()
        guarded(self.errors, self._redraw_and_refresh)()

    def layout(self, extra: Sequence[W.Widget] = ()) -> W.Box:
        """Controls on the left; the figure with a status line under it on the right."""
        box = super().layout(extra)
        left, image = box.children
        box.children = (left, W.VBox([image, self.status]))
        return box

    # ------------------------------------------------------------------ configuration
    def _configure(self, model: Model, I: float | None, duration: float | None,
                   stimulus: str, preset: str | None) -> None:
        cls = type(model)
        if preset is not None:
            check_choice("preset", preset, tuple(cls.presets))
            model = cls.preset(preset)
        else:
            preset = _matching_preset(model)
        check_choice("stimulus", stimulus, STIMULI)
        pattern = _protocol(cls, preset)
        start_I, start_T = cls.start_current, cls.start_duration
        if pattern is not None:
            start_I, start_T = 0.0, pattern.duration
        I = start_I if I is None else check_number("I", I)
        duration = start_T if duration is None else check_number("duration", duration, 0.0,
                                                                  10000.0, lo_open=True)
        with self._holding():
            for s in self.params.values():
                s.unobserve(self.update, names="value")
                s.close()
            self.params = controls_for(model)
            for s in self.params.values():
                s.observe(self.update, names="value")
            self.param_box.children = [W.VBox(list(self.params.values()))]
            names = list(cls.presets)
            self.preset.options = [(cls.preset_info(n).label, n) for n in names]
            self.preset.value = preset
            self.preset.layout.display = None if len(names) > 1 else "none"
            lo, hi = cls.current_range
            step = _current_step(lo, hi)
            self.current.step = step
            self.current.readout_format = ".3g" if step < 0.01 else ".2f"
            self.current.description = (f"I ({pretty_unit(cls.current_unit)})"
                                        if cls.current_unit else "I")
            _set_slider(self.current, I, lo, hi)
            _set_slider(self.duration, duration, *DURATION_RANGE)
            self.duration.description = f"duration ({cls.time_unit})"
            self._set_pattern(pattern, stimulus)
        self.model_class = cls
        self._needs_build = True
        self._job_model = None

    def _set_pattern(self, pattern: Any, stimulus: str = "step") -> None:
        self._pattern = pattern
        options = [*STIMULI, PUBLISHED] if pattern is not None else list(STIMULI)
        if list(self.stimulus.options) != options:
            self.stimulus.options = options
        self.stimulus.value = PUBLISHED if pattern is not None else stimulus

    def _on_preset(self, change: Any) -> None:
        if self._hold or change.new is None:
            return
        guarded(self.errors, self._apply_preset)(change.new)

    def _apply_preset(self, name: str) -> None:
        cls = self.model_class
        model = cls.preset(name)
        pattern = _protocol(cls, name)
        with self._holding():
            for key, s in self.params.items():
                _set_slider(s, float(getattr(model, key)))
            if pattern is not None:
                _set_slider(self.current, 0.0)
                _set_slider(self.duration, pattern.duration)
            elif self._pattern is not None:
                _set_slider(self.current, cls.start_current)
                _set_slider(self.duration, cls.start_duration)
            self._set_pattern(pattern, "step" if self._pattern is not None
                              else self.stimulus.value)
        self._needs_build = True
        self._throttled()

    def set_model(self, model: Model | str | type, *, I: float | None = None,
                  duration: float | None = None, stimulus: str = "step",
                  preset: str | None = None) -> None:
        """Show another model (or the same one from its defaults): rebuild the parameter
        controls and the panels in place, in the same figure.

        Parameters are as for :class:`Explorer`. A bad value shows in the error line.
        """
        def run() -> None:
            with self._lock:
                self._configure(resolve_model(model), I, duration, stimulus, preset)
                self._redraw_and_refresh()

        guarded(self.errors, run)()

    def reset(self) -> None:
        """Back to the current model class's defaults."""
        self.set_model(self.model_class)

    # ------------------------------------------------------------------ computing
    def model_from_controls(self) -> Model:
        """The model the parameter sliders describe (ValueError if it is invalid)."""
        return self.model_class(**{k: float(s.value) for k, s in self.params.items()})

    def run_settings(self, model: Model) -> dict[str, Any]:
        """What the next run uses: ``current`` (stimulus or number), ``I_plane`` (the
        current at which the phase portrait is drawn), ``y0``, ``method``, ``dt`` and a
        one-line ``note`` describing the stimulus."""
        kind = self.stimulus.value
        I = float(self.current.value)
        T = float(self.duration.value)
        u = pretty_unit(model.current_unit)
        t0 = round(0.1 * T, 6)
        out: dict[str, Any] = {"y0": None, "method": None, "dt": None, "I_plane": I}
        if kind == PUBLISHED and self._pattern is not None:
            p = self._pattern
            out["current"] = p.stimulus + S.constant(I) if I else p.stimulus
            out.update(y0=None if p.y0 is None else np.array(p.y0), method=p.method,
                       dt=p.dt)
            w = out["current"](np.linspace(0.0, T, 2001))
            k = int(np.argmax(np.abs(w - w[0])))
            out["I_plane"] = float(w[k])
            out["note"] = ((p.note or "the preset's own stimulus")
                           + (f", plus I = {I:.3g}" if I else "")
                           + f"; phase plane at its main value {w[k]:.3g}")
        elif kind == "constant":
            out["current"] = I
            out["note"] = "constant I from t = 0, starting from rest at I"
        elif kind == "step":
            out["current"] = S.step(I, start=t0)
            out["note"] = f"step from 0 to I at t = {t0:g} {model.time_unit}"
        elif kind == "pulses":
            width = min(2.0, 0.05 * T)
            out["current"] = S.pulse_train(I, width=width, interval=0.2 * T, start=t0, n=4)
            out["note"] = (f"4 pulses of I, {width:g} {model.time_unit} wide, every "
                           f"{0.2 * T:g} {model.time_unit}")
        elif kind == "ramp":
            out["current"] = S.ramp(I / (T - t0), start=t0)
            out["note"] = f"ramp from 0 at t = {t0:g} to I at the end"
        elif kind == "sine":
            f = 5.0 / ((T - t0) * 1e-3)
            out["current"] = S.sine(I, f, start=t0)
            out["note"] = (f"sine of amplitude I, {f:.3g} Hz (5 cycles), from t = {t0:g}; "
                           "phase plane at its peak")
        else:  # noise
            lo, hi = model.current_range
            std = 0.1 * (hi - lo)
            out["current"] = S.noise(std, mean=I, tau=2.0, dt=0.1, seed=1, start=t0)
            out["note"] = (f"noise of mean I and s.d. {std:.3g} {u} (2 {model.time_unit} "
                           f"correlation) from t = {t0:g}; phase plane at its mean")
        return out

    def redraw(self) -> None:
        """Simulate with the controls' values and update every panel."""
        model = self.model_from_controls()
        run = self.run_settings(model)
        trace = simulate(model, float(self.duration.value), dt=run["dt"],
                         current=run["current"], y0=run["y0"], method=run["method"])
        I_plane = run["I_plane"]
        if self._needs_build or type(model) is not type(self.model):
            self._build_figure(model, I_plane, trace)
        else:
            changed = False
            for panel in self.panels.values():
                changed |= bool(panel.update(model=model, I=I_plane, trace=trace))
            if changed:
                self.view.invalidate()
        self.model, self.trace, self.I_plane = model, trace, I_plane
        self.stimulus_note.value = (f"<span style='font-size:85%;color:#555'>"
                                    f"{html.escape(run['note'])}</span>")
        self.status.value = self._status_text(trace)
        if model != self._job_model and ({"fi", "bifurcation"} & set(self.panels)):
            self._start_job(model)

    def _status_text(self, trace: Any) -> str:
        n = len(trace.spike_times)
        T = float(self.duration.value)
        lines = [f"{n} spike{'s' if n != 1 else ''} in {T:g} {trace.model.time_unit}"]
        if "phase" in self.panels:
            lines.append(self.panels["phase"].describe())
        return ("<span style='font-size:88%;color:#333'>"
                + "<br>".join(html.escape(x) for x in lines) + "</span>")


    # ------------------------------------------------------------------ figure
    def _build_figure(self, model: Model, I: float, trace: Any) -> None:
        fig = self.figure
        fig.clear()
        self.view.clear_dynamic()
        ncols = max(len(r) for r in self._rows)
        gs = GridSpec(len(self._rows), ncols, figure=fig, left=0.08 if ncols > 1 else 0.1,
                      right=0.98, top=0.9 if len(self._rows) == 1 else 0.94,
                      bottom=0.12 if len(self._rows) == 1 else 0.07,
                      wspace=0.28, hspace=0.42)
        panels: dict[str, Any] = {}
        for r, row in enumerate(self._rows):
            for c, name in enumerate(row):
                spec = gs[r, c]
                if name == "trace":
                    panels[name] = TracePanel(fig, spec, trace)
                elif name == "phase":
                    panels[name] = phase_panel_for(fig, spec, model, I, trace)
                elif name == "fi":
                    lo, hi = model.current_range
                    panels[name] = FIPanel(fig, spec, model, I,
                                           np.linspace(lo, hi, FI_POINTS))
                else:
                    panels[name] = BifurcationPanel(fig, spec, model, I)
        self.panels = panels
        self._register_dynamic()
        self.view.invalidate()
        self._needs_build = False
        self._job_model = None

    def _register_dynamic(self) -> None:
        self.view.clear_dynamic()
        for panel in self.panels.values():
            self.view.dynamic(panel.dynamic)

    # ------------------------------------------------------------------ background
    def _start_job(self, model: Model) -> None:
        self._job_model = model
        panels = self.panels
        wanted = [k for k in ("fi", "bifurcation") if k in panels]
        currents = panels["fi"].currents if "fi" in panels else None

        def compute(progress: Any) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for i, key in enumerate(wanted):
                def part(f: float, i: int = i) -> None:
                    progress((i + f) / len(wanted))

                try:
                    if key == "fi":
                        out[key] = an.fi_curve(model, currents, duration=FI_DURATION,
                                               progress=part)
                    else:
                        out[key] = an.bifurcation_diagram(model, model.current_range,
                                                          progress=part)
                except Cancelled:
                    raise
                except Exception as exc:  # noqa: BLE001 - shown in the panel
                    out[key] = exc
            return out

        def done(out: dict[str, Any]) -> None:
            with self._lock:
                if self.panels is not panels:
                    return
                for key, result in out.items():
                    panels[key].show(result)
                self._register_dynamic()
                self.view.invalidate()
                self.view.refresh()

        def failed(exc: Exception) -> None:
            self.errors.show(f"background computation failed: {exc}")

        self.job.start(compute, done, failed)


def explorer(model: Model | str | type | None = None, I: float | None = None,
             duration: float | None = None, panels: Sequence[str] = ("trace", "phase"),
             **kwargs: Any) -> Explorer:
    """Interactive trace and phase portrait of one model (see :class:`Explorer`).

    Parameters
    ----------
    model : Model, model class or str
        A model instance or class, or the name of a registered model.
    I : float, optional
        Starting current (model current units).
    duration : float, optional
        Length of each run (ms).
    panels : sequence of str
        Any of ``"trace"``, ``"phase"``, ``"fi"``, ``"bifurcation"``.
    **kwargs
        ``stimulus``, ``preset``, ``figsize`` (see :class:`Explorer`).

    Returns
    -------
    Explorer
        Displays itself when it is the last expression of a cell.
    """
    return Explorer(model, I, duration, panels, **kwargs)
