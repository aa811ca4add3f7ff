"""Every bad argument raises ValueError naming the argument and the offending value.

Project rule (DESIGN.md, "Errors"): no numpy warning, NaN result or silent clamp; the
message says what to change. Warnings are turned into errors here so a RuntimeWarning
on the way to the ValueError also fails.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from neurolab import stimulus as S
from neurolab.models import LIF, MODELS, HodgkinHuxley, INaP, Izhikevich
from neurolab.simulate import simulate, simulate_batch

pytestmark = pytest.mark.filterwarnings("error")


def _fmt(x):
    return f"{x:g}"


def _bad_values(info):
    lo, hi = info.valid
    out = [math.nan, math.inf, -math.inf]
    if math.isfinite(lo):
        out.append(lo if info.valid_open[0] else lo - 1.0)
    if math.isfinite(hi):
        out.append(hi if info.valid_open[1] else hi + 1.0)
    return out


_CASES = [(cls, name, v) for cls in MODELS.values()
          for name, info in cls.parameter_info().items() for v in _bad_values(info)]


@pytest.mark.parametrize("cls,name,value", _CASES,
                         ids=[f"{c.__name__}.{n}={v:g}" for c, n, v in _CASES])
def test_model_parameter_out_of_range(cls, name, value):
    """A parameter outside its declared valid range, or not finite, is refused with a
    message holding the parameter's name and the value."""
    with pytest.raises(ValueError) as err:
        cls(**{name: value})
    msg = str(err.value)
    assert name in msg and _fmt(value) in msg


@pytest.mark.parametrize("cls", list(MODELS.values()), ids=lambda c: c.__name__)
def test_model_parameter_not_a_number(cls):
    """Strings and None are refused too, naming the parameter."""
    name = next(iter(cls.parameter_info()))
    for bad in ("1.0", None):
        with pytest.raises(ValueError, match=name):
            cls(**{name: bad})


@pytest.mark.parametrize("make,names", [
    (lambda: LIF(V_reset=-40.0), ("V_reset", "-40", "V_th")),
    (lambda: Izhikevich(c=35.0), ("c", "35", "v_peak")),
    (lambda: INaP(V_reset=10.0), ("V_reset", "10", "V_peak")),
])
def test_cross_parameter_constraints(make, names):
    """A reset above its threshold is refused, naming both."""
    with pytest.raises(ValueError) as err:
        make()
    for n in names:
        assert n in str(err.value)


# ------------------------------------------------------------------ simulate
HH = HodgkinHuxley()


@pytest.mark.parametrize("kwargs,needle", [
    ({"duration": 0.0}, "duration"), ({"duration": -5.0}, "duration"),
    ({"duration": math.nan}, "duration"), ({"duration": math.inf}, "duration"),
    ({"duration": "10"}, "duration"),
    ({"dt": 0.0}, "dt"), ({"dt": -0.01}, "dt"), ({"dt": math.nan}, "dt"),
    ({"dt": 0.5}, "dt"), ({"dt": HH.max_dt * 1.01}, "dt"),
    ({"method": "rk45"}, "method"), ({"method": None, "dt": math.inf}, "dt"),
    ({"current": math.nan}, "current"), ({"current": math.inf}, "current"),
    ({"current": np.zeros(7)}, "current"), ({"current": np.zeros((2, 201))}, "current"),
    ({"current": np.full(201, np.nan)}, "current"), ({"current": "big"}, "current"),
    ({"current": lambda t: np.where(t > 5, np.nan, 0.0)}, "current"),
    ({"y0": [0.0, 0.0]}, "y0"), ({"y0": [[-65, 0, 0, 0]]}, "y0"),
    ({"y0": [math.nan, 0.1, 0.5, 0.3]}, "y0"), ({"y0": [-65.0, 0.1, 0.5, math.inf]}, "y0"),
])
def test_simulate_bad_arguments(kwargs, needle):
    """Each bad argument of simulate names itself (duration 10 ms at dt 0.05: 201 grid
    points) and, for numbers, the value."""
    args = {"duration": 10.0, **kwargs}
    duration = args.pop("duration")
    with pytest.raises(ValueError) as err:
        simulate(HH, duration, **args)
    msg = str(err.value)
    assert needle in msg
    value = kwargs.get(needle)
    if isinstance(value, float):
        assert _fmt(value) in msg


def test_simulate_bad_model():
    """A non-model is refused with a message naming `model`."""
    with pytest.raises(ValueError, match="model"):
        simulate("HodgkinHuxley", 10.0)


def test_too_many_steps():
    """A duration that would need more than MAX_STEPS steps is refused before running."""
    with pytest.raises(ValueError, match="duration"):
        simulate(HH, 1e9)


# ------------------------------------------------------------------ simulate_batch
@pytest.mark.parametrize("call,needle", [
    (lambda: simulate_batch(HH, 10.0, currents=[]), "current"),
    (lambda: simulate_batch([], 10.0), "model"),
    (lambda: simulate_batch([HH, HH], 10.0, currents=[1.0, 2.0, 3.0]), "same length"),
    (lambda: simulate_batch([HH, LIF()], 10.0), "one model class"),
    (lambda: simulate_batch([Izhikevich(), Izhikevich(v_peak=20.0)], 10.0), "cut-off"),
    (lambda: simulate_batch(HH, 10.0, currents=[1.0, math.nan]), "currents[1]"),
    (lambda: simulate_batch(HH, 10.0, currents=[1.0, np.zeros(5)]), "currents[1]"),
    (lambda: simulate_batch(HH, 10.0, currents=[1.0, 2.0], y0=np.zeros((3, 4))), "y0"),
    (lambda: simulate_batch(HH, 10.0, currents=[1.0, 2.0], y0=[0.0, 1.0]), "y0"),
    (lambda: simulate_batch(HH, 10.0, currents=[1.0, 2.0],
                            y0=[[-65, 0, 0, 0], [np.nan, 0, 0, 0]]), "y0"),
    (lambda: simulate_batch(HH, 10.0, currents=[1.0], dt=1.0), "dt"),
    (lambda: simulate_batch(HH, -1.0, currents=[1.0]), "duration"),
    (lambda: simulate_batch(HH, 10.0, currents=[1.0], method="midpoint"), "method"),
])
def test_simulate_batch_bad_arguments(call, needle):
    """Bad batch arguments name themselves."""
    with pytest.raises(ValueError) as err:
        call()
    assert needle in str(err.value)


# ------------------------------------------------------------------ stimulus builders
@pytest.mark.parametrize("call,needle,value", [
    (lambda: S.constant(math.nan), "value", "nan"),
    (lambda: S.step(math.inf), "amplitude", "inf"),
    (lambda: S.step(1.0, start=-1.0), "start", "-1"),
    (lambda: S.step(1.0, start=5.0, stop=5.0), "stop", "5"),
    (lambda: S.step(1.0, stop=math.nan), "stop", "nan"),
    (lambda: S.step(1.0, baseline=math.nan), "baseline", "nan"),
    (lambda: S.ramp(math.nan), "slope", "nan"),
    (lambda: S.ramp(1.0, start=10.0, stop=2.0), "stop", "2"),
    (lambda: S.pulses([]), "times", "[]"),
    (lambda: S.pulses([-1.0, 2.0]), "times", "-1"),
    (lambda: S.pulses([1.0, math.nan]), "times", "nan"),
    (lambda: S.pulses([1.0, 2.0], amplitude=[1.0, 2.0, 3.0]), "amplitude", "3"),
    (lambda: S.pulses([1.0], width=0.0), "width", "0"),
    (lambda: S.pulses([1.0], baseline=math.inf), "baseline", "inf"),
    (lambda: S.pulse_train(1.0, 5.0, 5.0, n=3), "width", "5"),
    (lambda: S.pulse_train(1.0, 1.0, 0.0, n=3), "interval", "0"),
    (lambda: S.pulse_train(1.0, 1.0, 5.0, n=0), "n", "0"),
    (lambda: S.pulse_train(1.0, 1.0, 5.0, n=2.5), "n", "2.5"),
    (lambda: S.pulse_train(1.0, 1.0, 5.0), "n", "stop"),
    (lambda: S.pulse_train(1.0, 1.0, 5.0, n=3, stop=20.0), "n", "stop"),
    (lambda: S.pulse_train(1.0, 1.0, 5.0, start=10.0, stop=5.0), "stop", "5"),
    (lambda: S.sine(1.0, -2.0), "frequency", "-2"),
    (lambda: S.sine(math.nan, 2.0), "amplitude", "nan"),
    (lambda: S.sine(1.0, 2.0, phase=math.inf), "phase", "inf"),
    (lambda: S.chirp(1.0, 1.0, 10.0, 0.0, math.inf), "stop", "inf"),
    (lambda: S.chirp(1.0, -1.0, 10.0, 0.0, 10.0), "f0", "-1"),
    (lambda: S.chirp(1.0, 1.0, math.nan, 0.0, 10.0), "f1", "nan"),
    (lambda: S.noise(-1.0), "std", "-1"),
    (lambda: S.noise(1.0, tau=-1.0), "tau", "-1"),
    (lambda: S.noise(1.0, dt=0.0), "dt", "0"),
    (lambda: S.noise(1.0, seed=-3), "seed", "-3"),
    (lambda: S.noise(1.0, seed=1.5), "seed", "1.5"),
    (lambda: S.noise(1.0, mean=math.nan), "mean", "nan"),
    (lambda: 2 * S.step(1.0) * math.nan, "factor", "nan"),
])
def test_stimulus_bad_arguments(call, needle, value):
    """Every stimulus builder names the bad argument and its value."""
    with pytest.raises(ValueError) as err:
        call()
    msg = str(err.value)
    assert needle in msg and value in msg


# ------------------------------------------------------------------ model methods
def test_model_method_bad_arguments():
    """rhs/jacobian refuse a state of the wrong shape; equilibria/rest a non-finite
    current; presets an unknown name."""
    with pytest.raises(ValueError, match="y must have shape"):
        HH.rhs([1.0, 2.0])
    with pytest.raises(ValueError, match="y must have shape"):
        HH.jacobian(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="I must be finite"):
        HH.equilibria(math.nan)
    with pytest.raises(ValueError, match="I must be finite"):
        HH.rest(math.inf)
    with pytest.raises(ValueError, match="preset"):
        Izhikevich.preset("ZZ")
