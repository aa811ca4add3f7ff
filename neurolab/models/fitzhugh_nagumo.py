"""FitzHugh-Nagumo model, the classic two-variable reduction of Hodgkin-Huxley.

Sources: R. FitzHugh, "Impulses and physiological states in theoretical models of nerve
membrane", Biophys. J. 1:445-466 (1961); J. Nagumo, S. Arimoto and S. Yoshizawa,
Proc. IRE 50:2061-2070 (1962). Form and default parameters a = 0.7, b = 0.8,
tau = 12.5 as in FitzHugh (1961):

    v' = v - v^3 / 3 - w + I
    w' = (v + a - b w) / tau

Everything is dimensionless; time is measured in the model's own units.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_number
from .base import param
from .define import define_model

__all__ = ["FitzHughNagumo"]

_FitzHughNagumo = define_model(
    "FitzHughNagumo",
    """
    dv/dt = v - v**3 / 3 - w + I
    dw/dt = (v + a - b * w) / tau
    """,
    {
        "a": param(0.7, "a", "", (-0.5, 1.5), 0.01, "offset of the recovery nullcline",
                   (-10.0, 10.0)),
        "b": param(0.8, "b", "", (0.0, 2.0), 0.01, "slope factor of the recovery variable",
                   (0.0, 10.0)),
        "tau": param(12.5, "tau", "", (1.0, 50.0), 0.5,
                     "time scale of the recovery variable w", positive=True),
    },
    current_unit="",
    time_unit="",
    units={"v": "", "w": ""},
    spike_threshold=1.0,
    spike_rearm=1.0,
    default_dt=0.05,
    max_dt=1.0,
    equilibrium_window=(-3.0, 3.0),
    current_range=(-1.0, 2.0),
    presets={"FitzHugh 1961": {}},
    title="FitzHugh-Nagumo",
    description=(
        "A dimensionless two-variable caricature of Hodgkin-Huxley, the classic resonator. "
        "FitzHugh (1961), Biophys. J. 1:445; Nagumo et al. (1962), Proc. IRE 50:2061."),
    plane_window=((-2.5, 2.5), (-1.0, 2.0)),
    start_current=0.5,
    start_duration=200.0,
    convention="v, w dimensionless: no voltage convention",
    order=50,
)


class FitzHughNagumo(_FitzHughNagumo):
    """FitzHugh-Nagumo model (dimensionless): v' = v - v^3/3 - w + I, w' = (v + a - b w)/tau.

    States: v, w. Spikes are upward crossings of v = 1.
    """

    def _equilibrium_state(self, v: np.ndarray, I: float) -> np.ndarray | None:
        # On the v-nullcline w = v - v^3/3 + I (finite for every b, unlike (v + a) / b).
        v = np.asarray(v, dtype=float)
        return np.array([v, v - v**3 / 3.0 + I])

    def equilibria(self, I: float = 0.0, window: tuple[float, float] | None = None,
                   n: int = 4001) -> list[np.ndarray]:
        """Every equilibrium with v in ``window`` (a cubic has at most three).

        With w = v - v^3/3 + I from the first equation, the second gives the cubic
        (b/3) v^3 + (1 - b) v + a - b I = 0, well posed for every b >= 0 (b = 0: v = -a).
        Its real roots come from :func:`numpy.roots`, polished by Newton's method.
        """
        I = check_number("I", I)
        lo, hi = window if window is not None else self.equilibrium_window
        a, b = self.a, self.b
        coef = [b / 3.0, 0.0, 1.0 - b, a - b * I]
        roots = np.roots(coef) if b > 0.0 else np.array([-a + 0j])
        d = np.polyder(coef)
        out = []
        for r in roots:
            if abs(r.imag) > 1e-6 * (1.0 + abs(r)):
                continue
            v = r.real
            for _ in range(3):
                dv = np.polyval(d, v)
                if dv == 0.0:
                    break
                v -= np.polyval(coef, v) / dv
            if lo <= v <= hi and all(abs(v - y[0]) > 1e-9 for y in out):
                out.append(np.array([v, v - v**3 / 3.0 + I]))
        return sorted(out, key=lambda y: y[0])

    def hopf_currents(self) -> list[float]:
        """Currents at which the equilibrium has trace zero with positive determinant.

        Closed form: on the curve of equilibria, trace J = 1 - v^2 - b / tau = 0 gives
        v* = +-sqrt(1 - b / tau), and I = v*^3/3 - v* + (v* + a) / b at each. Exists
        when b < tau and det J = (b (v*^2 - 1) + 1) / tau > 0, i.e. b < 1.
        """
        if self.b >= self.tau or self.b == 0.0:
            return []
        vs = np.sqrt(1.0 - self.b / self.tau)
        out = []
        for v in (-vs, vs):
            det = (self.b * (v * v - 1.0) + 1.0) / self.tau
            if det > 0:
                out.append(float(v**3 / 3.0 - v + (v + self.a) / self.b))
        return sorted(out)
