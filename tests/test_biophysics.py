"""Nernst and Goldman-Hodgkin-Katz potentials against constants, limits and measurements."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neurolab.analysis import ghk_potential, nernst
from neurolab.analysis.biophysics import (
    FARADAY,
    GAS_CONSTANT,
    ION_SETS,
    MAMMALIAN_NEURON,
    SQUID_AXON,
    VALENCE,
    celsius_to_kelvin,
    thermal_voltage,
)


def test_derived_constants_match_codata():
    """R = N_A k_B and F = N_A e reproduce the CODATA 2018 values 8.314462618 J/(mol K)
    and 96485.33212 C/mol (Tiesinga et al., Rev. Mod. Phys. 93, 025010, 2021)."""
    assert GAS_CONSTANT == pytest.approx(8.314462618, rel=1e-10)
    assert FARADAY == pytest.approx(96485.33212, rel=1e-10)


def test_nernst_slope_per_decade_at_body_temperature():
    """A tenfold concentration ratio moves E by (R T / F) ln 10, about 61.5 mV at 37 C
    for a monovalent ion and half that for a divalent one (Nernst equation)."""
    T = celsius_to_kelvin(37.0)
    slope = 1000.0 * GAS_CONSTANT * T / FARADAY * math.log(10.0)
    assert slope == pytest.approx(61.5, abs=0.05)
    assert nernst(10.0, 1.0, 1, T) == pytest.approx(slope, rel=1e-12)
    assert nernst(100.0, 1.0, 1, T) - nernst(10.0, 1.0, 1, T) == pytest.approx(slope)
    assert nernst(10.0, 1.0, 2, T) == pytest.approx(slope / 2)
    assert nernst(10.0, 1.0, -1, T) == pytest.approx(-slope)
    assert nernst(3.0, 3.0, 1) == 0.0


def test_nernst_potassium_mammalian_neuron():
    """E_K with K+ 5 mM outside and 140 mM inside at 37 C is about -89 mV, near the
    -90 mV textbooks quote for mammalian neurons (Purves et al., Neuroscience, ch. 2)."""
    E_K = nernst(MAMMALIAN_NEURON.c_out["K"], MAMMALIAN_NEURON.c_in["K"], 1)
    assert -95.0 < E_K < -85.0
    E_Na = MAMMALIAN_NEURON.nernst("Na")
    assert 55.0 < E_Na < 75.0


def test_nernst_broadcasts_over_arrays():
    """Array concentrations give the element-wise Nernst potential."""
    c_out = np.array([1.0, 10.0, 100.0])
    E = nernst(c_out, 10.0, 1, 300.0)
    expected = [nernst(c, 10.0, 1, 300.0) for c in c_out]
    np.testing.assert_allclose(E, expected)


@pytest.mark.parametrize("ion", ["K", "Na", "Cl"])
def test_ghk_reduces_to_nernst_with_one_permeant_ion(ion):
    """With only one ion permeant, the GHK voltage equation is that ion's Nernst potential
    (Goldman 1943; Hodgkin & Katz 1949) -- including the sign handling for Cl-."""
    s = MAMMALIAN_NEURON
    perm = {k: (1.0 if k == ion else 0.0) for k in VALENCE}
    V = ghk_potential(perm, s.c_out, s.c_in, s.T)
    assert V == pytest.approx(nernst(s.c_out[ion], s.c_in[ion], VALENCE[ion], s.T), rel=1e-12)
    # Leaving the others out of the dict altogether means the same thing.
    assert ghk_potential({ion: 3.0}, s.c_out, s.c_in, s.T) == pytest.approx(V, rel=1e-12)


def test_ghk_lies_between_the_nernst_potentials_and_moves_with_permeability():
    """The GHK potential is a weighted compromise between the ions' Nernst potentials and
    moves towards E_Na as P_Na grows (the basis of the action potential's upstroke)."""
    s = MAMMALIAN_NEURON
    E = [s.nernst(i) for i in VALENCE]
    V_rest = s.ghk()
    assert min(E) < V_rest < max(E)
    V_na = ghk_potential({"K": 1.0, "Na": 20.0, "Cl": 0.45}, s.c_out, s.c_in, s.T)
    assert V_rest < V_na < s.nernst("Na")


def test_ghk_squid_axon_near_measured_resting_potential():
    """With P_K:P_Na:P_Cl = 1:0.04:0.45 and the squid concentrations, the GHK potential is
    near the resting potential of about -60 mV measured by Hodgkin & Katz (J. Physiol.
    108:37, 1949); any value in -70 to -55 mV is consistent with their axons."""
    V = ghk_potential(SQUID_AXON.permeability, SQUID_AXON.c_out, SQUID_AXON.c_in, SQUID_AXON.T)
    assert -70.0 < V < -55.0
    assert V == pytest.approx(SQUID_AXON.ghk())


def test_mammalian_resting_potential_near_minus_seventy():
    """The reference mammalian set rests near -70 mV, close to but above E_K (syllabus)."""
    V = MAMMALIAN_NEURON.ghk()
    assert -75.0 < V < -60.0
    assert V > MAMMALIAN_NEURON.nernst("K")


def test_reference_sets_are_read_only():
    """The shared reference values cannot be edited by accident."""
    with pytest.raises(TypeError):
        SQUID_AXON.c_out["K"] = 1.0  # type: ignore[index]
    assert set(ION_SETS) == {"mammalian neuron", "squid giant axon"}


def test_thermal_voltage_scales_with_T():
    """R T / F is proportional to the absolute temperature."""
    assert thermal_voltage(600.0) == pytest.approx(2 * thermal_voltage(300.0))


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"c_out": 0.0, "c_in": 10.0, "z": 1}, "c_out"),
        ({"c_out": 5.0, "c_in": -1.0, "z": 1}, "c_in"),
        ({"c_out": [5.0, 0.0], "c_in": 10.0, "z": 1}, "c_out"),
        ({"c_out": 5.0, "c_in": 10.0, "z": 0}, "z"),
        ({"c_out": 5.0, "c_in": 10.0, "z": 1.5}, "z"),
        ({"c_out": 5.0, "c_in": 10.0, "z": 1, "T": 0.0}, "T"),
        ({"c_out": 5.0, "c_in": 10.0, "z": 1, "T": -3.0}, "T"),
        ({"c_out": float("nan"), "c_in": 10.0, "z": 1}, "c_out"),
    ],
)
def test_nernst_bad_input(kwargs, name):
    """Bad arguments raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=name):
        nernst(**kwargs)


@pytest.mark.parametrize(
    "perm, c_out, c_in, T, name",
    [
        ({"Ca": 1.0}, {"Ca": 2.0}, {"Ca": 1e-4}, 310.0, "permeability"),
        ({"K": -1.0}, {"K": 5.0}, {"K": 140.0}, 310.0, "permeability"),
        ({"K": 0.0}, {"K": 5.0}, {"K": 140.0}, 310.0, "permeability"),
        ({}, {"K": 5.0}, {"K": 140.0}, 310.0, "permeability"),
        ({"K": 1.0}, {"K": 0.0}, {"K": 140.0}, 310.0, "c_out"),
        ({"K": 1.0}, {"K": 5.0}, {"Na": 140.0}, 310.0, "c_in"),
        ({"K": 1.0}, {"K": 5.0, "X": 1.0}, {"K": 140.0}, 310.0, "c_out"),
        ({"K": 1.0}, {"K": 5.0}, {"K": 140.0}, 0.0, "T"),
        ([1.0], {"K": 5.0}, {"K": 140.0}, 310.0, "permeability"),
    ],
)
def test_ghk_bad_input(perm, c_out, c_in, T, name):
    """Unknown ions, negative or all-zero permeabilities, missing or non-positive
    concentrations and T <= 0 raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=name):
        ghk_potential(perm, c_out, c_in, T)


def test_celsius_bad_input():
    """Below absolute zero there is no temperature."""
    with pytest.raises(ValueError, match="celsius"):
        celsius_to_kelvin(-300.0)
