"""The passive membrane's step response (neurolab.analysis.passive).

References: the closed-form charging curve of an RC circuit (Dayan and Abbott,
"Theoretical Neuroscience", 2001, ch. 5) at the landmarks t = onset + tau (1 - 1/e of
the way) and t = offset + tau (1/e left); an independent adaptive integration
(scipy solve_ivp, piece by piece across the step's edges) of C V' = -(V - E_L)/R + I;
and neurolab's own engine running a leaky integrate-and-fire neuron whose threshold is
out of reach (a passive membrane).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neurolab.analysis import passive_step_response
from neurolab.models import LIF
from neurolab.simulate import simulate
from neurolab.stimulus import step

START, STOP, DURATION = 20.0, 170.0, 250.0


@pytest.mark.parametrize("R, C, I", [(30.0, 0.5, 0.8), (10.0, 1.5, -0.2)])
def test_landmarks_of_the_closed_form(R, C, I):
    """V(onset) = E_L; V(onset + tau) = E_L + R I (1 - 1/e); V(offset + tau) - E_L is
    1/e of its value at the offset; long after the onset V reaches E_L + R I."""
    tau, E_L = R * C, -70.0
    t = np.array([0.0, START, START + tau, STOP, STOP + tau])
    v = passive_step_response(t, R, C, I, START, STOP, E_L)
    assert v[0] == v[1] == E_L
    assert v[2] == pytest.approx(E_L + R * I * (1.0 - 1.0 / math.e), rel=1e-12)
    assert v[4] - E_L == pytest.approx((v[3] - E_L) / math.e, rel=1e-12)
    assert passive_step_response([1e6], R, C, I, 0.0, 2e6, E_L)[0] == pytest.approx(
        E_L + R * I, rel=1e-12)
    assert v.shape == t.shape


def test_matches_adaptive_integration_of_the_ode():
    """Against solve_ivp (RK45, rtol 1e-10) of C V' = -(V - E_L)/R + I(t), integrated
    separately before, during and after the step so no edge falls inside a step."""
    R, C, I, E_L = 20.0, 0.7, 0.6, -65.0
    t_all, v_all, v0 = [], [], E_L
    for a, b, amp in ((0.0, START, 0.0), (START, STOP, I), (STOP, DURATION, 0.0)):
        t = np.linspace(a, b, 101)
        sol = solve_ivp(lambda _t, v, amp=amp: (-(v - E_L) / R + amp) / C, (a, b), [v0],
                        t_eval=t, rtol=1e-10, atol=1e-12)
        t_all.append(sol.t)
        v_all.append(sol.y[0])
        v0 = sol.y[0, -1]
    t, v = np.concatenate(t_all), np.concatenate(v_all)
    np.testing.assert_allclose(passive_step_response(t, R, C, I, START, STOP, E_L), v,
                               atol=1e-7)


@pytest.mark.parametrize("R, C, I", [(30.0, 0.5, 0.8), (5.0, 2.0, -0.2)])
def test_matches_simulated_passive_lif(R, C, I):
    """neurolab's RK4 run of a LIF neuron with tau_m = R C, no refractory period and
    V_th = 100 mV (never reached) agrees with the closed form to 0.1 % of R I (the step's
    edges fall on the time grid, where a fixed-step scheme is first order)."""
    model = LIF(tau_m=R * C, R=R, V_th=100.0, t_ref=0.0)
    tr = simulate(model, DURATION, current=step(I, START, STOP))
    assert tr.spike_times.size == 0
    v = passive_step_response(tr.t, R, C, I, START, STOP, model.E_L)
    assert np.max(np.abs(v - tr.V)) < 1e-3 * abs(R * I)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="R"):
        passive_step_response([0.0, 1.0], 0.0, 1.0, 1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="C"):
        passive_step_response([0.0, 1.0], 1.0, -1.0, 1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="stop"):
        passive_step_response([0.0, 1.0], 1.0, 1.0, 1.0, 5.0, 1.0)
    with pytest.raises(ValueError, match="start"):
        passive_step_response([0.0, 1.0], 1.0, 1.0, 1.0, -1.0, 1.0)
    with pytest.raises(ValueError, match="t must"):
        passive_step_response([-1.0], 1.0, 1.0, 1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="t must"):
        passive_step_response([np.nan], 1.0, 1.0, 1.0, 0.0, 1.0)
