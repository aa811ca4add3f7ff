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
four patterns depend on the published scheme itself and carry ``method="izhikevich"``
(the engine's copy of that scheme): see :class:`FiringPattern`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .. import _kernels as K
from .. import stimulus as S
from .base import Model, param

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


@dataclass(frozen=True)
class Izhikevich(Model):
    """Izhikevich (2003) simple model, with the equation variants of the 2004 patterns.

    v' = k2 v^2 + k1 v + k0 - u + I,  u' = a (b (v - v_u) - u_leak u).

    With the defaults (k2 = 0.04, k1 = 5, k0 = 140, v_u = 0, u_leak = 1) this is the
    published model; the default (a, b, c, d) is the regular-spiking cell. States:
    v (mV), u (mV/ms). Time in ms; current in the model's dimensionless units.
    """

    a: float = param(0.02, "a", "1/ms", (-0.05, 0.2), 0.005, "time scale of the recovery u",
                     (-10.0, 10.0))
    b: float = param(0.2, "b", "", (-1.0, 1.0), 0.01, "sensitivity of u to v",
                     (-100.0, 100.0))
    c: float = param(-65.0, "c", "mV", (-80.0, -40.0), 0.5, "reset potential of v",
                     (-200.0, 100.0))
    d: float = param(8.0, "d", "mV/ms", (-25.0, 10.0), 0.05, "jump of u at a spike",
                     (-1000.0, 1000.0))
    v_peak: float = param(30.0, "v_peak", "mV", (0.0, 40.0), 1.0, "spike cut-off",
                          (-100.0, 200.0))
    k2: float = param(0.04, "k_2", "1/(mV ms)", (0.01, 0.1), 0.005,
                      "quadratic coefficient of v'", positive=True)
    k1: float = param(5.0, "k_1", "1/ms", (3.0, 7.0), 0.1, "linear coefficient of v'",
                      (-100.0, 100.0))
    k0: float = param(140.0, "k_0", "mV/ms", (80.0, 180.0), 1.0, "constant term of v'",
                      (-1e4, 1e4))
    v_u: float = param(0.0, "v_u", "mV", (-80.0, 0.0), 1.0, "offset of v in u'",
                       (-200.0, 200.0))
    u_leak: float = param(1.0, "u_leak", "", (0.0, 1.0), 1.0, "decay of u in u' (1, or 0)",
                          (0.0, 10.0))

    state_names: ClassVar[tuple[str, ...]] = ("v", "u")
    _code: ClassVar[int] = K.IZH
    current_unit: ClassVar[str] = "a.u."
    hybrid: ClassVar[bool] = True
    default_dt: ClassVar[float] = 0.05
    max_dt: ClassVar[float] = 1.0
    equilibrium_window: ClassVar[tuple[float, float]] = (-120.0, 30.0)
    current_range: ClassVar[tuple[float, float]] = (-20.0, 40.0)
    presets: ClassVar[dict[str, dict[str, float]]] = {}

    def _check(self) -> None:
        if not self.c < self.v_peak:
            raise ValueError(f"Izhikevich.c must be below v_peak={self.v_peak:g} mV, "
                             f"got {self.c:g} mV")

    def _kernel_params(self) -> np.ndarray:
        return np.array([self.a, self.b, self.c, self.d, self.v_peak, self.k2, self.k1,
                         self.k0, self.v_u, self.u_leak])

    def _equilibrium_state(self, v: np.ndarray, I: float) -> np.ndarray | None:
        if self.u_leak == 0.0 or self.a == 0.0:
            return None
        return np.array([v, self.b * (v - self.v_u) / self.u_leak])

    def _equilibrium_limit(self) -> float:
        return self.v_peak

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

    def _spike_settings(self) -> tuple[float, float, bool, float, float]:
        return self.v_peak, 0.0, True, self.v_peak, 0.0

    def _fallback_state(self) -> np.ndarray:
        # No equilibrium at I = 0 (a = 0, or a drive that fires at rest): start from the
        # reset, with u on its nullcline there, as the published script does (u0 = b v0).
        eq = self.equilibria(0.0)
        if eq:
            return eq[0]
        return np.array([self.c, self.b * (self.c - self.v_u)])


for _key, (_name, (_a, _b, _c, _d)) in CORTICAL_TYPES.items():
    Izhikevich.presets[_key] = {"a": _a, "b": _b, "c": _c, "d": _d}


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
    Four patterns exist only in the published discrete scheme, not in the differential
    equations: integrated accurately (RK4, or the published scheme at a tenth of its
    step), "rebound burst" fires 13-14 spikes instead of a short burst, "bistability"
    is not switched off by the second pulse, "depolarizing after-potential" fires a
    train instead of one spike, and "inhibition-induced bursting" runs away (u falls by
    |d| at each spike; thousands of spikes). In the published script u is updated with
    the new v before the spike test, so at a spike u also integrates the overshoot of v
    far above v_peak; this extra kick is what shapes those four patterns. They are run
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


#: Patterns that need the published scheme (see ``FiringPattern`` notes).
_SCHEME_DEPENDENT = frozenset("NPQT")


def _fp(key, name, abcd, v0, dt, stim, duration, u0=None, **variant):
    a, b, c, d = abcd
    model = Izhikevich(a=a, b=b, c=c, d=d, **variant)
    u = b * v0 if u0 is None else u0
    if key in _SCHEME_DEPENDENT:
        method, step = "izhikevich", dt
    else:
        method, step = "rk4", Izhikevich.default_dt
    return FiringPattern(key, name, model, stim, float(duration), np.array([v0, u]), dt,
                         method, step)


_CLASS1 = {"k1": 4.1, "k0": 108.0}

#: The twenty firing patterns of Izhikevich (2004), keyed by name.
FIRING_PATTERNS: dict[str, FiringPattern] = {
    p.name: p
    for p in [
        _fp("A", "tonic spiking", (0.02, 0.2, -65, 6), -70, 0.25, S.step(14, start=10), 100),
        _fp("B", "phasic spiking", (0.02, 0.25, -65, 6), -64, 0.25, S.step(0.5, start=20),
            200),
        _fp("C", "tonic bursting", (0.02, 0.2, -50, 2), -70, 0.25, S.step(15, start=22), 220),
        _fp("D", "phasic bursting", (0.02, 0.25, -55, 0.05), -64, 0.2,
            S.step(0.6, start=20), 200),
        _fp("E", "mixed mode", (0.02, 0.2, -55, 4), -70, 0.25, S.step(10, start=16), 160),
        _fp("F", "spike frequency adaptation", (0.01, 0.2, -65, 8), -70, 0.25,
            S.step(30, start=8.5), 85),
        _fp("G", "class 1 excitable", (0.02, -0.1, -55, 6), -60, 0.25,
            S.ramp(0.075, start=30), 300, **_CLASS1),
        _fp("H", "class 2 excitable", (0.2, 0.26, -65, 0), -64, 0.25,
            S.ramp(0.015, start=30, baseline=-0.5), 300),
        _fp("I", "spike latency", (0.02, 0.2, -65, 6), -70, 0.2,
            S.step(7.04, start=10, stop=13), 100),
        _fp("J", "subthreshold oscillations", (0.05, 0.26, -60, 0), -62, 0.25,
            S.step(2, start=20, stop=25), 200),
        _fp("K", "resonator", (0.1, 0.26, -60, -1), -62, 0.25,
            S.pulses([40, 60, 280, 320], amplitude=0.65, width=4), 400),
        _fp("L", "integrator", (0.02, -0.1, -55, 6), -60, 0.25,
            S.pulses([9.1, 14.1, 70, 80], amplitude=9, width=2), 100, **_CLASS1),
        _fp("M", "rebound spike", (0.03, 0.25, -60, 4), -64, 0.2,
            S.step(-15, start=20, stop=25), 200),
        _fp("N", "rebound burst", (0.03, 0.25, -52, 0), -64, 0.2,
            S.step(-15, start=20, stop=25), 200),
        _fp("O", "threshold variability", (0.03, 0.25, -60, 4), -64, 0.25,
            S.pulses([10, 70, 80], amplitude=[1, -6, 1], width=5), 100),
        _fp("P", "bistability", (0.1, 0.26, -60, 0), -61, 0.25,
            S.pulses([37.5, 216], amplitude=1.0, width=5, baseline=0.24), 300),
        _fp("Q", "depolarizing after-potential", (1, 0.2, -60, -21), -70, 0.1,
            S.step(20, start=9, stop=11), 50),
        _fp("R", "accommodation", (0.02, 1, -55, 4), -65, 0.5,
            S.ramp(1 / 25, start=0, stop=200) + S.ramp(1 / 3.125, start=300, stop=312.5),
            400, u0=-16.0, v_u=-65.0, u_leak=0.0),
        _fp("S", "inhibition-induced spiking", (-0.02, -1, -60, 8), -63.8, 0.5,
            S.step(-5, start=50, stop=250, baseline=80), 350),
        _fp("T", "inhibition-induced bursting", (-0.026, -1, -45, -2), -63.8, 0.5,
            S.step(-5, start=50, stop=250, baseline=80), 350),
    ]
}

for _p in FIRING_PATTERNS.values():
    _defaults = Izhikevich().params()
    Izhikevich.presets[_p.name] = {
        k: v for k, v in _p.model.params().items() if v != _defaults[k] or k in "abcd"
    }


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
