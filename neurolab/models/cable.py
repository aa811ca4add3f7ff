"""A passive cable: the dendrite (or axon) as a leaky, resistive, capacitive tube.

The cable equation (W. Rall, 1959; C. Koch, "Biophysics of Computation", Oxford
University Press 1999, ch. 2; P. Dayan and L. F. Abbott, "Theoretical Neuroscience",
MIT Press 2001, ch. 6):

    tau dV/dt = lambda^2 d2V/dx2 - (V - E_L) + r_m i_e(x, t)

with the length constant lambda = sqrt(d R_m / (4 R_i)) and the membrane time constant
tau = R_m C_m. Here d is the diameter, R_m the specific membrane resistance
(kOhm cm2), R_i the intracellular (axial) resistivity (Ohm cm) and C_m the specific
membrane capacitance (uF/cm2).

This module holds the parameters (:class:`PassiveCable`), the analytic steady state for a
current injected at one end of a cable whose other end is sealed (:func:`steady_state`),
Rall's response of a semi-infinite cable to a current step (:func:`infinite_cable_step`),
and a finite-difference simulation (:func:`simulate_cable`). Units: um for lengths,
mV, nA, MOhm and ms.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

import numpy as np

from .._validation import check_choice, check_int, check_number
from .base import ParamInfo, param

__all__ = ["PassiveCable", "CableResult", "steady_state", "infinite_cable_step",
           "simulate_cable", "CABLE_METHODS"]

#: Time-stepping schemes of :func:`simulate_cable`.
CABLE_METHODS = ("crank-nicolson", "backward-euler")
#: Most time steps one cable run may take (keeps a typo from filling the memory).
_MAX_STEPS = 2_000_000


@dataclass(frozen=True)
class PassiveCable:
    """A uniform passive cable of finite length, sealed at its far end.

    Defaults: a thin dendrite (d = 2 um, L = 1000 um) with R_m = 20 kOhm cm2,
    R_i = 100 Ohm cm, C_m = 1 uF/cm2 (textbook values of the order used by Koch, 1999,
    ch. 2, and Dayan and Abbott, 2001, ch. 6), so lambda = 1000 um and tau = 20 ms.

    Parameters
    ----------
    diameter : float
        Diameter d (um).
    length : float
        Length L (um).
    R_m : float
        Specific membrane resistance (kOhm cm2).
    R_i : float
        Intracellular (axial) resistivity (Ohm cm).
    C_m : float
        Specific membrane capacitance (uF/cm2).
    E_L : float
        Resting (leak) potential (mV).
    n_compartments : int
        Number of grid points of the finite-difference simulation (>= 3).
    """

    diameter: float = param(2.0, "d", "um", (0.2, 10.0), 0.1, "cable diameter",
                            positive=True)
    length: float = param(1000.0, "L", "um", (50.0, 5000.0), 50.0, "cable length",
                          positive=True)
    R_m: float = param(20.0, "R_m", "kOhm cm2", (1.0, 100.0), 1.0,
                       "specific membrane resistance", positive=True)
    R_i: float = param(100.0, "R_i", "Ohm cm", (30.0, 300.0), 5.0,
                       "intracellular (axial) resistivity", positive=True)
    C_m: float = param(1.0, "C_m", "uF/cm2", (0.5, 2.0), 0.05,
                       "specific membrane capacitance", positive=True)
    E_L: float = param(-65.0, "E_L", "mV", (-80.0, -50.0), 0.5, "resting (leak) potential",
                       (-200.0, 100.0))
    n_compartments: int = field(default=101, metadata={"info": ParamInfo(
        "N", "", (11.0, 401.0), 10.0, "grid points of the simulation", (3.0, 100_001.0))})

    current_unit: ClassVar[str] = "nA"
    time_unit: ClassVar[str] = "ms"
    voltage_unit: ClassVar[str] = "mV"

    def __post_init__(self) -> None:
        for f in fields(self):
            info: ParamInfo = f.metadata["info"]
            name = f"PassiveCable.{f.name}"
            value = getattr(self, f.name)
            if f.name == "n_compartments":
                check_int(name, value, int(info.valid[0]), int(info.valid[1]))
                object.__setattr__(self, f.name, int(value))
                continue
            check_number(name, value, *info.valid, lo_open=info.valid_open[0],
                         hi_open=info.valid_open[1])
            object.__setattr__(self, f.name, float(value))

    @classmethod
    def parameter_info(cls) -> dict[str, ParamInfo]:
        """Metadata of every parameter, in declaration order."""
        return {f.name: f.metadata["info"] for f in fields(cls)}

    def replace(self, **changes: Any) -> PassiveCable:
        """Return a copy with some parameters changed (validated like the constructor)."""
        names = {f.name for f in fields(self)}
        for key in changes:
            if key not in names:
                raise ValueError(f"{key!r} is not a parameter of PassiveCable; valid names: "
                                 f"{', '.join(sorted(names))}")
        return type(self)(**{**{n: getattr(self, n) for n in names}, **changes})

    # ------------------------------------------------------------ derived quantities
    @property
    def length_constant(self) -> float:
        """lambda = sqrt(d R_m / (4 R_i)) in um.

        With d in cm, R_m in Ohm cm2 and R_i in Ohm cm the quotient is in cm2; the
        factors 1e-4 (um -> cm), 1e3 (kOhm -> Ohm) and 1e4 (cm -> um) do the rest.
        """
        d_cm = self.diameter * 1e-4
        return math.sqrt(d_cm * self.R_m * 1e3 / (4.0 * self.R_i)) * 1e4

    @property
    def time_constant(self) -> float:
        """tau = R_m C_m in ms (kOhm cm2 x uF/cm2 = 1e3 Ohm x 1e-6 F = 1 ms)."""
        return self.R_m * self.C_m

    @property
    def electrotonic_length(self) -> float:
        """L / lambda (dimensionless)."""
        return self.length / self.length_constant

    @property
    def axial_resistance_per_length(self) -> float:
        """r_i = 4 R_i / (pi d^2), in MOhm per um."""
        d_cm = self.diameter * 1e-4
        return 4.0 * self.R_i / (math.pi * d_cm**2) * 1e-4 * 1e-6

    @property
    def semi_infinite_input_resistance(self) -> float:
        """R_inf = r_i lambda (MOhm): input resistance of a semi-infinite cable."""
        return self.axial_resistance_per_length * self.length_constant

    @property
    def input_resistance(self) -> float:
        """Input resistance at x = 0 with the far end sealed (MOhm).

        R_in = R_inf coth(L / lambda) (Koch, 1999, eq. 2.30 for a sealed end).
        """
        return self.semi_infinite_input_resistance / math.tanh(self.electrotonic_length)

    def grid(self) -> np.ndarray:
        """Positions of the simulation's grid points (um), from 0 to L."""
        return np.linspace(0.0, self.length, self.n_compartments)


# ----------------------------------------------------------------------------- analytic
def _check_cable(cable: Any) -> PassiveCable:
    if not isinstance(cable, PassiveCable):
        raise ValueError(f"cable must be a PassiveCable, got {cable!r}")
    return cable


def steady_state(cable: PassiveCable, I: float, x: Any = None) -> np.ndarray:
    """Analytic steady-state potential for a constant current injected at x = 0.

    With the far end (x = L) sealed, the cable equation's steady state is
    V(x) - E_L = I R_inf cosh((L - x) / lambda) / sinh(L / lambda)
    (Koch, 1999, ch. 2; Dayan and Abbott, 2001, ch. 6).

    Parameters
    ----------
    cable : PassiveCable
    I : float
        Injected current (nA); positive depolarizes.
    x : array_like, optional
        Positions (um) in [0, L]; default the cable's grid.

    Returns
    -------
    numpy.ndarray
        Membrane potential (mV) at ``x``.
    """
    cable = _check_cable(cable)
    I = check_number("I", I)
    x = cable.grid() if x is None else np.asarray(x, dtype=float)
    if x.size and (not np.all(np.isfinite(x)) or x.min() < 0.0 or x.max() > cable.length):
        bad = x[~(np.isfinite(x) & (x >= 0.0) & (x <= cable.length))].ravel()[0]
        raise ValueError(f"x must lie in [0, {cable.length:g}] um (the cable), got {bad:g}")
    lam = cable.length_constant
    L = cable.length
    ratio = np.cosh((L - x) / lam) / math.sinh(L / lam)
    return cable.E_L + I * cable.semi_infinite_input_resistance * ratio


def infinite_cable_step(cable: PassiveCable, I: float, t: Any) -> np.ndarray:
    """Rall's response at x = 0 of a semi-infinite cable to a current step at t = 0.

    V(0, t) - E_L = I R_inf erf(sqrt(t / tau)) (Rall, 1969; Koch, 1999, eq. 2.47,
    written for a semi-infinite cable fed at its sealed end, which by symmetry is half of
    an infinite cable fed with 2 I in its middle). Only ``cable``'s diameter and
    membrane constants enter; its length is ignored.

    Parameters
    ----------
    cable : PassiveCable
    I : float
        Step amplitude (nA).
    t : array_like
        Times (ms) since the step, >= 0.

    Returns
    -------
    numpy.ndarray
        Membrane potential (mV) at x = 0.
    """
    cable = _check_cable(cable)
    I = check_number("I", I)
    t = np.asarray(t, dtype=float)
    if t.size and (not np.all(np.isfinite(t)) or t.min() < 0.0):
        raise ValueError(f"t must be finite and >= 0 ms, got min {np.nanmin(t):g}")
    from scipy.special import erf

    return cable.E_L + I * cable.semi_infinite_input_resistance * erf(
        np.sqrt(t / cable.time_constant))


# ----------------------------------------------------------------------------- numerics
@dataclass(frozen=True)
class CableResult:
    """Result of :func:`simulate_cable`.

    Attributes
    ----------
    t : numpy.ndarray
        Times (ms), shape (n_t,).
    x : numpy.ndarray
        Grid positions (um), shape (n_x,).
    V : numpy.ndarray
        Membrane potential (mV), shape (n_t, n_x).
    current : numpy.ndarray
        Current injected at x = 0 (nA) at each time.
    cable : PassiveCable
    """

    t: np.ndarray
    x: np.ndarray
    V: np.ndarray
    current: np.ndarray
    cable: PassiveCable


def _compartments(cable: PassiveCable) -> tuple[np.ndarray, np.ndarray, float]:
    """Capacitance (nF) and leak conductance (uS) of each grid point's compartment, and
    the axial conductance (uS) between neighbours.

    Finite volumes: point j owns the membrane within h/2 of it (h/2 at the two ends), so
    the sealed ends need no ghost points and the scheme is second order in h.
    """
    n = cable.n_compartments
    h_cm = cable.length / (n - 1) * 1e-4
    d_cm = cable.diameter * 1e-4
    widths = np.full(n, h_cm)
    widths[[0, -1]] *= 0.5
    area = math.pi * d_cm * widths                      # cm2
    cap = cable.C_m * area * 1e3                        # uF -> nF
    leak = area / (cable.R_m * 1e3) * 1e6               # S -> uS
    axial = math.pi * d_cm**2 / 4.0 / (cable.R_i * h_cm) * 1e6  # S -> uS
    return cap, leak, axial


def _banded(diag: np.ndarray, off: float) -> np.ndarray:
    """Upper banded storage of a symmetric tridiagonal matrix for ``cholesky_banded``."""
    ab = np.zeros((2, diag.size))
    ab[0, 1:] = off
    ab[1] = diag
    return ab


def _current_samples(current: Any, times: np.ndarray) -> np.ndarray:
    if isinstance(current, (int, float, np.integer, np.floating)) and not isinstance(
            current, bool):
        return np.full(times.shape, check_number("current", current))
    if callable(current):
        fn: Callable[[np.ndarray], Any] = current
        try:
            values = np.broadcast_to(np.asarray(fn(times), dtype=float), times.shape)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"current must return one number per time; calling it failed "
                             f"({exc})") from None
        if not np.all(np.isfinite(values)):
            raise ValueError("current must be finite at every time, got a non-finite value")
        return np.array(values)
    raise ValueError(f"current must be a number (nA) or a stimulus/callable of t (ms), got "
                     f"{current!r}")


def _jumps(i_grid: np.ndarray, i_mid: np.ndarray) -> np.ndarray:
    """Steps across which the current is not smooth (a jump, as at a step's edges).

    For a smooth current the second difference over a step is O(dt^2) while the first
    is O(dt); at a jump both are as large as the jump itself. The first two steps count
    as rough too, since the onset at t = 0 is a jump from the resting state.
    """
    d1 = np.abs(i_grid[1:] - i_grid[:-1])
    d2 = np.abs(i_grid[1:] - 2.0 * i_mid + i_grid[:-1])
    scale = max(float(np.ptp(i_grid)), float(np.abs(i_grid).max()), 1e-300)
    rough = (np.maximum(d1, d2) > 1e-3 * scale) & (d2 > 0.5 * d1)
    rough[:2] = True
    return rough


def simulate_cable(cable: PassiveCable, duration: float, current: Any = 0.0, *,
                   dt: float = 0.05, method: str = "crank-nicolson",
                   V0: float | None = None) -> CableResult:
    """Simulate the passive cable with a current injected at x = 0.

    Space is discretised into ``cable.n_compartments`` finite volumes (sealed ends),
    time by Crank-Nicolson (second order; the first two steps, and any step across which
    the current jumps, are taken as two backward-Euler half steps, Rannacher's
    smoothing, so a sudden change of the current does not leave the stiffest modes
    ringing) or by backward Euler (first order, never
    rings). Each step is one banded solve with a Cholesky factor computed once.

    Parameters
    ----------
    cable : PassiveCable
    duration : float
        Length of the run (ms), > 0.
    current : float or callable
        Current injected at x = 0 (nA): a number, or a function of time (ms) such as a
        :mod:`neurolab.stimulus` object.
    dt : float
        Time step (ms), in (0, duration].
    method : {"crank-nicolson", "backward-euler"}
    V0 : float, optional
        Uniform initial potential (mV); default ``cable.E_L``.

    Returns
    -------
    CableResult
        ``t`` (ms), ``x`` (um), ``V`` (mV, shape (n_t, n_x)), ``current`` (nA).
    """
    from scipy.linalg import cho_solve_banded, cholesky_banded

    cable = _check_cable(cable)
    duration = check_number("duration", duration, 0.0, lo_open=True)
    dt = check_number("dt", dt, 0.0, duration, lo_open=True)
    check_choice("method", method, CABLE_METHODS)
    V0 = cable.E_L if V0 is None else check_number("V0", V0, -200.0, 200.0)
    n_steps = int(math.ceil(duration / dt - 1e-9))
    if n_steps > _MAX_STEPS:
        raise ValueError(f"duration / dt must be at most {_MAX_STEPS} steps, got "
                         f"duration={duration:g}, dt={dt:g} ({n_steps} steps)")
    t = np.arange(n_steps + 1) * dt
    i_grid = _current_samples(current, t)

    cap, leak, g_ax = _compartments(cable)
    n = cap.size
    # A u = -(leak + axial Laplacian) u, u = V - E_L; stiffness diagonal and off-diagonal.
    k_diag = leak + 2.0 * g_ax
    k_diag[[0, -1]] -= g_ax
    k_off = -g_ax

    def factor(theta_dt: float) -> np.ndarray:
        return cholesky_banded(_banded(cap / theta_dt + k_diag, k_off))

    def apply_k(u: np.ndarray) -> np.ndarray:
        out = k_diag * u
        out[:-1] += k_off * u[1:]
        out[1:] += k_off * u[:-1]
        return out

    u = np.full(n, V0 - cable.E_L)
    V = np.empty((n_steps + 1, n))
    V[0] = u
    rhs = np.zeros(n)
    if method == "backward-euler":
        fac = factor(dt)
        for k in range(n_steps):
            rhs[:] = cap / dt * u
            rhs[0] += i_grid[k + 1]
            u = cho_solve_banded((fac, False), rhs)
            V[k + 1] = u
    else:
        fac = factor(0.5 * dt)  # serves both CN (2C/dt + K) and a backward-Euler half step
        i_mid = _current_samples(current, t[:-1] + 0.5 * dt)
        rough = _jumps(i_grid, i_mid)
        for k in range(n_steps):
            if rough[k]:
                # Rannacher smoothing: two backward-Euler half steps damp the stiff modes
                # that Crank-Nicolson would leave ringing after a jump of the current.
                for ih in (i_mid[k], i_grid[k + 1]):
                    rhs[:] = cap / (0.5 * dt) * u
                    rhs[0] += ih
                    u = cho_solve_banded((fac, False), rhs)
            else:
                rhs[:] = cap / (0.5 * dt) * u - apply_k(u)
                rhs[0] += 2.0 * i_mid[k]
                u = cho_solve_banded((fac, False), rhs)
            V[k + 1] = u
    V += cable.E_L
    return CableResult(t=t, x=cable.grid(), V=V, current=i_grid, cable=cable)
