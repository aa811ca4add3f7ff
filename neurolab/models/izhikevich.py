"""Izhikevich's simple model of spiking neurons, its cortical types and firing patterns.

Sources:
- E. M. Izhikevich, "Simple model of spiking neurons", IEEE Trans. Neural Networks
  14(6):1569-1572 (2003): the model and the cortical types RS, IB, CH, FS, LTS, TC, RZ.
- E. M. Izhikevich, "Which model to use for cortical spiking neurons?", IEEE Trans.
  Neural Networks 15(5):1063-1070 (2004), Figure 1 and the MATLAB script that draws it:
  the twenty firing patterns, with the stimulus, initial state and time step of each.

Model (v in mV, t in ms, I in the model's own current units):

    v' = 0.04 v^2 + 5 v + 140 - u + I
    u' = a (b v - u)
    if v >= v_peak (30 mV): v <- c, u <- u + d

Three of the 2004 patterns change the equations slightly; the general form used here
carries them as parameters: v' = k2 v^2 + k1 v + k0 - u + I and
u' = a (b (v - v_u) - u_leak u). "class 1 excitable" and "integrator" use
k1 = 4.1, k0 = 108; "accommodation" uses v_u = -65, u_leak = 0.

The published script integrates with forward Euler, updating u with the already-updated
v, at the step noted for each pattern. Our engine integrates the same equations
accurately, so firing patterns agree with the figure while exact spike times may not;
five patterns depend on the published scheme itself and carry ``method="izhikevich"``
(the engine's copy of that scheme): see :class:`FiringPattern`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import stimulus as S
from .base import Preset, param
from .define import define_model

__all__ = ["Izhikevich", "FiringPattern", "FIRING_PATTERNS", "CORTICAL_TYPES",
           "firing_pattern"]

#: Izhikevich (2003), Fig. 2: the cortical cell types and their (a, b, c, d).
CORTICAL_TYPES: dict[str, tuple[str, tuple[float, float, float, float]]] = {
    "RS": ("regular spiking", (0.02, 0.2, -65.0, 8.0)),
    "IB": ("intrinsically bursting", (0.02, 0.2, -55.0, 4.0)),
    "CH": ("chattering", (0.02, 0.2, -50.0, 2.0)),
    "FS": ("fast spiking", (0.1, 0.2, -65.0, 2.0)),
    "LTS": ("low-threshold spiking", (0.02, 0.25, -65.0, 2.0)),
    "TC": ("thalamo-cortical", (0.02, 0.25, -65.0, 0.05)),
    "RZ": ("resonator", (0.1, 0.26, -65.0, 2.0)),
}

#: Patterns that need the published scheme (see ``FiringPattern`` notes).
_SCHEME_DEPENDENT = frozenset("INPQT")
#: Step (ms) of the accurate runs (RK4) of the other patterns.
_RK4_DT = 0.05
_CLASS1 = {"k1": 4.1, "k0": 108.0}

def _held(amplitude: float, after: float, before: float, dt: float) -> S.Stimulus:
    """The current the published script injects for ``if (t > after) & (t < before)
    I = amplitude``: it tests its grid times t = k dt against the open window and holds
    each sample for one step, so the pulse runs from the first grid time after
    ``after`` to one step past the last grid time before ``before`` (``before`` may
    be infinite)."""
    first = math.floor(after / dt + 1e-9) + 1
    if math.isinf(before):
        return S.step(amplitude, start=round(first * dt, 9))
    last = math.ceil(before / dt - 1e-9) - 1
    return S.step(amplitude, start=round(first * dt, 9), stop=round((last + 1) * dt, 9))


def _held_sum(parts: list[tuple[float, float, float]], dt: float,
              baseline: float = 0.0) -> S.Stimulus:
    out: S.Stimulus = S.constant(baseline)
    for amplitude, after, before in parts:
        out = out + _held(amplitude, after, before, dt)
    return out


#: Izhikevich (2004), Fig. 1 and its script: letter, name, (a, b, c, d), v0, published
#: step (ms), stimulus, duration (ms), u0 (None: b v0) and the equation variant. Each
#: stimulus is what the script injects on its own time grid (see ``_held``); the ramps
#: of G, H and R are the script's formulas in continuous time (held for one step they
#: differ from these by at most slope x dt: 0.019, 0.004 and 0.16 units).
_T_L = 100 / 11  # the integrator's first pulse follows T1 = tspan(end)/11
_PANELS = [
    ("A", "tonic spiking", (0.02, 0.2, -65, 6), -70, 0.25, _held(14, 10, math.inf, 0.25),
     100, None, {}),
    ("B", "phasic spiking", (0.02, 0.25, -65, 6), -64, 0.25,
     _held(0.5, 20, math.inf, 0.25), 200, None, {}),
    ("C", "tonic bursting", (0.02, 0.2, -50, 2), -70, 0.25, _held(15, 22, math.inf, 0.25),
     220, None, {}),
    ("D", "phasic bursting", (0.02, 0.25, -55, 0.05), -64, 0.2,
     _held(0.6, 20, math.inf, 0.2), 200, None, {}),
    ("E", "mixed mode", (0.02, 0.2, -55, 4), -70, 0.25, _held(10, 16, math.inf, 0.25), 160,
     None, {}),
    ("F", "spike frequency adaptation", (0.01, 0.2, -65, 8), -70, 0.25,
     _held(30, 8.5, math.inf, 0.25), 85, None, {}),
    ("G", "class 1 excitable", (0.02, -0.1, -55, 6), -60, 0.25, S.ramp(0.075, start=30),
     300, None, _CLASS1),
    ("H", "class 2 excitable", (0.2, 0.26, -65, 0), -64, 0.25,
     S.ramp(0.015, start=30, baseline=-0.5), 300, None, {}),
    ("I", "spike latency", (0.02, 0.2, -65, 6), -70, 0.2, _held(7.04, 10, 13, 0.2), 100,
     None, {}),
    ("J", "subthreshold oscillations", (0.05, 0.26, -60, 0), -62, 0.25,
     _held(2, 20, 25, 0.25), 200, None, {}),
    ("K", "resonator", (0.1, 0.26, -60, -1), -62, 0.25,
     _held_sum([(0.65, t, t + 4) for t in (40, 60, 280, 320)], 0.25), 400, None, {}),
    ("L", "integrator", (0.02, -0.1, -55, 6), -60, 0.25,
     _held_sum([(9, t, t + 2) for t in (_T_L, _T_L + 5, 70, 80)], 0.25), 100, None,
     _CLASS1),
    ("M", "rebound spike", (0.03, 0.25, -60, 4), -64, 0.2, _held(-15, 20, 25, 0.2), 200,
     None, {}),
    ("N", "rebound burst", (0.03, 0.25, -52, 0), -64, 0.2, _held(-15, 20, 25, 0.2), 200,
     None, {}),
    ("O", "threshold variability", (0.03, 0.25, -60, 4), -64, 0.25,
     _held_sum([(1, 10, 15), (-6, 70, 75), (1, 80, 85)], 0.25), 100, None, {}),
    ("P", "bistability", (0.1, 0.26, -60, 0), -61, 0.25,
     _held_sum([(1.0, 37.5, 42.5), (1.0, 216, 221)], 0.25, baseline=0.24), 300, None, {}),
    ("Q", "depolarizing after-potential", (1, 0.2, -60, -21), -70, 0.1,
     _held(20, 9, 11, 0.1), 50, None, {}),
    ("R", "accommodation", (0.02, 1, -55, 4), -65, 0.5,
     S.ramp(1 / 25, start=0, stop=200) + S.ramp(1 / 3.125, start=300, stop=312.5), 400,
     -16.0, {"v_u": -65.0, "u_leak": 0.0}),
    # "if (t < 50) | (t > 250) I = 80; else I = 75": 75 on the closed [50, 250].
    ("S", "inhibition-induced spiking", (-0.02, -1, -60, 8), -63.8, 0.5,
     _held_sum([(-5, 50 - 0.5, 250 + 0.5)], 0.5, baseline=80), 350, None, {}),
    ("T", "inhibition-induced bursting", (-0.026, -1, -45, -2), -63.8, 0.5,
     _held_sum([(-5, 50 - 0.5, 250 + 0.5)], 0.5, baseline=80), 350, None, {}),
]


def _pattern_preset(key, name, abcd, v0, dt, stim, duration, u0, variant) -> Preset:
    a, b, c, d = abcd
    u = b * v0 if u0 is None else u0
    method, step = ("izhikevich", dt) if key in _SCHEME_DEPENDENT else ("rk4", _RK4_DT)
    values = {"a": a, "b": b, "c": c, "d": d, **variant}
    return Preset(values, f"pattern {key}: {name}", stim, float(duration),
                  (float(v0), float(u)), method, step,
                  f"published stimulus of Izhikevich (2004), Fig. 1{key}")


_PRESETS: dict[str, Preset] = {
    key: Preset({"a": a, "b": b, "c": c, "d": d}, f"{key}: {long}")
    for key, (long, (a, b, c, d)) in CORTICAL_TYPES.items()
}
_PRESETS.update({row[1]: _pattern_preset(*row) for row in _PANELS})

_Izhikevich = define_model(
    "Izhikevich",
    """
    dv/dt = k2 * v**2 + k1 * v + k0 - u + I
    du/dt = a * (b * (v - v_u) - u_leak * u)
    """,
    {
        "a": param(0.02, "a", "1/ms", (-0.05, 0.2), 0.005, "time scale of the recovery u",
                   (-10.0, 10.0)),
        "b": param(0.2, "b", "", (-1.0, 1.0), 0.01, "sensitivity of u to v",
                   (-100.0, 100.0)),
        "c": param(-65.0, "c", "mV", (-80.0, -40.0), 0.5, "reset potential of v",
                   (-200.0, 100.0)),
        "d": param(8.0, "d", "mV/ms", (-25.0, 10.0), 0.05, "jump of u at a spike",
                   (-1000.0, 1000.0)),
        "v_peak": param(30.0, "v_peak", "mV", (0.0, 40.0), 1.0, "spike cut-off",
                        (-100.0, 200.0)),
        "k2": param(0.04, "k_2", "1/(mV ms)", (0.01, 0.1), 0.005,
                    "quadratic coefficient of v'", positive=True),
        "k1": param(5.0, "k_1", "1/ms", (3.0, 7.0), 0.1, "linear coefficient of v'",
                    (-100.0, 100.0)),
        "k0": param(140.0, "k_0", "mV/ms", (80.0, 180.0), 1.0, "constant term of v'",
                    (-1e4, 1e4)),
        "v_u": param(0.0, "v_u", "mV", (-80.0, 0.0), 1.0, "offset of v in u'",
                     (-200.0, 200.0)),
        "u_leak": param(1.0, "u_leak", "", (0.0, 1.0), 1.0, "decay of u in u' (1, or 0)",
                        (0.0, 10.0)),
    },
    current_unit="a.u.",
    units={"v": "mV", "u": "a.u."},
    threshold="v >= v_peak",
    reset="v = c; u = u + d",
    default_dt=_RK4_DT,
    max_dt=1.0,
    equilibrium_window=(-120.0, 30.0),
    current_range=(-20.0, 40.0),
    presets=_PRESETS,
    title="Izhikevich",
    description=(
        "Quadratic v and a slow recovery u with a reset: cortical cell types and the 20 "
        "firing patterns as presets. Izhikevich (2003), IEEE Trans. Neural Netw. 14:1569; "
        "(2004) 15:1063."),
    plane_window=((-85.0, 35.0), (-20.0, 10.0)),
    start_current=10.0,
    start_duration=200.0,
    order=60,
)


class Izhikevich(_Izhikevich):
    """Izhikevich (2003) simple model, with the equation variants of the 2004 patterns.

    v' = k2 v^2 + k1 v + k0 - u + I,  u' = a (b (v - v_u) - u_leak u); at v >= v_peak:
    v <- c, u <- u + d.

    With the defaults (k2 = 0.04, k1 = 5, k0 = 140, v_u = 0, u_leak = 1) this is the
    published model; the default (a, b, c, d) is the regular-spiking cell. States:
    v (mV), u (same units as the current). Time in ms; current in the model's
    dimensionless units.
    """

    def _check(self) -> None:
        if not self.c < self.v_peak:
            raise ValueError(f"Izhikevich.c must be below v_peak={self.v_peak:g} mV, "
                             f"got {self.c:g} mV")

    def _equilibrium_state(self, v: np.ndarray, I: float) -> np.ndarray | None:
        if self.u_leak == 0.0 or self.a == 0.0:
            return None
        return np.array([v, self.b * (v - self.v_u) / self.u_leak])

    def equilibria(self, I: float = 0.0, window: tuple[float, float] | None = None,
                   n: int = 4001) -> list[np.ndarray]:
        """Every equilibrium below ``v_peak``, solved in closed form.

        With u = b (v - v_u) / u_leak the v-equation is the quadratic
        k2 v^2 + (k1 - b / u_leak) v + k0 + b v_u / u_leak + I = 0.
        """
        lo, hi = window if window is not None else self.equilibrium_window
        hi = min(hi, self.v_peak)
        I = float(I)
        if self.a == 0.0:
            return []
        if self.u_leak == 0.0:
            if self.b == 0.0:
                return []
            v = self.v_u
            u = self.k2 * v * v + self.k1 * v + self.k0 + I
            return [np.array([v, u])] if lo <= v <= hi else []
        beta = self.b / self.u_leak
        A, B, C = self.k2, self.k1 - beta, self.k0 + beta * self.v_u + I
        disc = B * B - 4 * A * C
        if disc < 0:
            return []
        roots = sorted({(-B - np.sqrt(disc)) / (2 * A), (-B + np.sqrt(disc)) / (2 * A)})
        return [np.array([v, beta * (v - self.v_u)]) for v in roots if lo <= v <= hi]

    def saddle_node_current(self) -> float:
        """Current at which rest and threshold merge (where the quadratic's discriminant
        vanishes): (k1 - b)^2 / (4 k2) - k0 for the standard u-equation, i.e.
        (5 - b)^2 / 0.16 - 140 with the published coefficients.

        Raises
        ------
        ValueError
            If ``u_leak`` is 0 (the "accommodation" variant): then u' = a b (v - v_u) fixes
            the equilibrium at v = v_u for every current, and there is no saddle-node.
        """
        if self.u_leak == 0.0:
            raise ValueError("u_leak must be > 0 for a saddle-node current; with u_leak=0 "
                             f"the only equilibrium is v = v_u = {self.v_u:g} mV at any current")
        beta = self.b / self.u_leak
        return (self.k1 - beta) ** 2 / (4 * self.k2) - self.k0 - beta * self.v_u

    def _fallback_state(self) -> np.ndarray:
        # No equilibrium at I = 0 (a = 0, or a drive that fires at rest): start from the
        # reset, with u on its nullcline there, as the published script does (u0 = b v0).
        eq = self.equilibria(0.0)
        if eq:
            return eq[0]
        return np.array([self.c, self.b * (self.c - self.v_u)])


@dataclass(frozen=True)
class FiringPattern:
    """One panel of Izhikevich (2004), Fig. 1: model, stimulus and the run that shows it.

    Attributes
    ----------
    key : str
        Panel letter, "A" to "T".
    name : str
        Name of the firing pattern.
    model : Izhikevich
        Parameters (with the equation variant, where the panel uses one).
    stimulus : neurolab.stimulus.Stimulus
        The published injected current.
    duration : float
        Length of the published run (ms).
    y0 : numpy.ndarray
        Initial (v, u).
    published_dt : float
        Time step of the published forward-Euler script (ms).
    method : str
        Integration method recommended to show the pattern: ``"rk4"`` where the pattern
        is a property of the model's equations, ``"izhikevich"`` (the published update,
        see :data:`neurolab.simulate.METHODS`) where it is not.
    dt : float
        Time step (ms) to use with ``method``.

    Notes
    -----
    Five patterns exist only in the published discrete scheme, not in the differential
    equations: integrated accurately (RK4, or the published scheme at a tenth of its
    step), "spike latency" does not fire at all (the 7.04 pulse the script injects,
    held from 10.2 to 13.0 ms on its 0.2 ms grid, is below threshold for the exact
    equations), "rebound burst" fires 13-14 spikes instead of a short burst, "bistability"
    is not switched off by the second pulse, "depolarizing after-potential" fires a
    train instead of one spike, and "inhibition-induced bursting" runs away (u falls by
    |d| at each spike; thousands of spikes). In the published script u is updated with
    the new v before the spike test, so at a spike u also integrates the overshoot of v
    far above v_peak; this extra kick (and, for the latency, the Euler error of the upstroke)
    is what shapes those five patterns. They are run
    with ``method="izhikevich"`` at ``published_dt``; the others with RK4.
    """

    key: str
    name: str
    model: Izhikevich
    stimulus: S.Stimulus
    duration: float
    y0: np.ndarray
    published_dt: float
    method: str = "rk4"
    dt: float = 0.05


#: The twenty firing patterns of Izhikevich (2004), keyed by name.
FIRING_PATTERNS: dict[str, FiringPattern] = {}
for _row in _PANELS:
    _p = Izhikevich.preset_info(_row[1])
    FIRING_PATTERNS[_row[1]] = FiringPattern(
        _row[0], _row[1], Izhikevich.preset(_row[1]), _p.stimulus, _p.duration,
        np.array(_p.y0), float(_row[4]), _p.method, _p.dt)


def firing_pattern(name: str) -> FiringPattern:
    """Look up one of the twenty firing patterns of Izhikevich (2004) by name or letter.

    Raises
    ------
    ValueError
        If ``name`` is neither a pattern name nor a panel letter A-T.
    """
    if name in FIRING_PATTERNS:
        return FIRING_PATTERNS[name]
    for p in FIRING_PATTERNS.values():
        if p.key == name:
            return p
    valid = ", ".join(repr(k) for k in FIRING_PATTERNS)
    raise ValueError(f"name must be one of {valid} (or a letter A-T); got {name!r}")
