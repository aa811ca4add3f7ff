"""Equilibrium and resting potentials from ion concentrations: Nernst and Goldman-Hodgkin-Katz.

Concentrations are in mM, temperatures in kelvin, potentials in mV (inside minus outside).

The physical constants are the exact SI values fixed in the 2019 redefinition and adopted
by CODATA 2018 (Tiesinga et al., Rev. Mod. Phys. 93, 025010, 2021): the Avogadro constant,
the Boltzmann constant and the elementary charge. The gas constant and the Faraday
constant follow as R = N_A k_B and F = N_A e, so R T / F = k_B T / e.

Two reference sets of concentrations feed the notebooks' calculator:

- :data:`MAMMALIAN_NEURON`: typical values for a mammalian neuron at 37 C, after the
  table of ion concentrations in Purves et al., "Neuroscience" (Sinauer), ch. 2
  (K+ 140 mM inside / 5 mM outside; Na+ 5-15 / 145; Cl- 4-30 / 110). Where the book
  gives a range we take one representative value (Na+ 12 mM, Cl- 8 mM inside). With
  these, E_K is near -89 mV and E_Na near +67 mV. Relative permeabilities at rest
  (K : Na : Cl = 1 : 0.05 : 0.45) are a common textbook choice, not a measurement on one
  cell, and give a resting potential near -65 mV.
- :data:`SQUID_AXON`: the squid giant axon as tabulated in Kandel et al., "Principles of
  Neural Science" (McGraw-Hill), chapter on the resting membrane potential (K+ 400 / 20,
  Na+ 50 / 440, Cl- 52 / 560 mM), with the resting permeability ratios
  P_K : P_Na : P_Cl = 1 : 0.04 : 0.45 that Hodgkin & Katz (J. Physiol. 108:37-77, 1949)
  fitted to their measurements. At 20 C the GHK equation gives about -60 mV, the
  resting potential they measured in fresh axons.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from .._validation import check_number

__all__ = [
    "AVOGADRO", "BOLTZMANN", "ELEMENTARY_CHARGE", "GAS_CONSTANT", "FARADAY", "VALENCE",
    "IonSet", "MAMMALIAN_NEURON", "SQUID_AXON", "ION_SETS", "thermal_voltage", "nernst",
    "ghk_potential", "celsius_to_kelvin",
]

#: Avogadro constant N_A (1/mol), exact (SI 2019, CODATA 2018).
AVOGADRO = 6.02214076e23
#: Boltzmann constant k_B (J/K), exact (SI 2019, CODATA 2018).
BOLTZMANN = 1.380649e-23
#: Elementary charge e (C), exact (SI 2019, CODATA 2018).
ELEMENTARY_CHARGE = 1.602176634e-19
#: Molar gas constant R = N_A k_B (J/(mol K)), about 8.314462618.
GAS_CONSTANT = AVOGADRO * BOLTZMANN
#: Faraday constant F = N_A e (C/mol), about 96485.33212.
FARADAY = AVOGADRO * ELEMENTARY_CHARGE

#: Valences of the ions the GHK voltage equation accepts here.
VALENCE: dict[str, int] = {"K": 1, "Na": 1, "Cl": -1}

_ZERO_CELSIUS = 273.15


def celsius_to_kelvin(celsius: float) -> float:
    """Convert a temperature in degrees Celsius to kelvin.

    Parameters
    ----------
    celsius : float
        Temperature (C), at least -273.15.

    Returns
    -------
    float
        Temperature (K).
    """
    c = check_number("celsius", celsius, -_ZERO_CELSIUS, math.inf, lo_open=True)
    return c + _ZERO_CELSIUS


def _check_T(T: Any) -> float:
    return check_number("T", T, 0.0, math.inf, lo_open=True)


def thermal_voltage(T: float = 310.15) -> float:
    """Return R T / F in mV.

    Parameters
    ----------
    T : float, optional
        Absolute temperature (K), positive. Default 310.15 K (37 C).

    Returns
    -------
    float
        R T / F (mV); about 26.73 mV at 37 C. Multiplied by ln 10 it gives the Nernst
        slope per decade of concentration ratio for a monovalent ion (about 61.5 mV).
    """
    T = _check_T(T)
    return 1000.0 * GAS_CONSTANT * T / FARADAY


def _positive_concentration(name: str, value: Any) -> float | np.ndarray:
    if np.ndim(value) == 0:
        return check_number(name, value, 0.0, math.inf, lo_open=True)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive concentration in mM, got {value!r}") from None
    bad = ~np.isfinite(arr) | (arr <= 0)
    if np.any(bad):
        raise ValueError(
            f"{name} must contain only finite concentrations in (0, inf) mM, "
            f"found {arr[bad].ravel()[0]:g}"
        )
    return arr


def nernst(c_out: Any, c_in: Any, z: int, T: float = 310.15) -> float | np.ndarray:
    """Nernst equilibrium potential of one ion species.

    E = (R T / (z F)) ln(c_out / c_in), inside relative to outside.

    Parameters
    ----------
    c_out, c_in : float or array_like
        Concentrations outside and inside the cell (mM), positive. Arrays broadcast.
    z : int
        Valence of the ion (e.g. +1 for K+ and Na+, -1 for Cl-, +2 for Ca2+); non-zero.
    T : float, optional
        Absolute temperature (K), positive. Default 310.15 K (37 C).

    Returns
    -------
    float or numpy.ndarray
        Equilibrium potential (mV); a float when both concentrations are numbers.

    Raises
    ------
    ValueError
        If a concentration is not positive, ``z`` is zero or not an integer, or
        ``T`` is not positive.

    Examples
    --------
    >>> round(nernst(5.0, 140.0, 1), 1)   # K+ in a mammalian neuron, 37 C
    -89.1
    """
    c_out = _positive_concentration("c_out", c_out)
    c_in = _positive_concentration("c_in", c_in)
    if isinstance(z, bool) or not isinstance(z, (int, np.integer)) or z == 0:
        raise ValueError(f"z (the valence) must be a non-zero integer, got {z!r}")
    vt = thermal_voltage(T)
    E = vt / int(z) * np.log(np.divide(c_out, c_in))
    return float(E) if np.ndim(E) == 0 else E


def _ion_dict(name: str, value: Any) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise ValueError(
            f"{name} must be a dict keyed by ion name ({', '.join(VALENCE)}), got {value!r}"
        )
    out = {}
    for ion, v in value.items():
        if ion not in VALENCE:
            raise ValueError(
                f"{name} has an unknown ion {ion!r}; the GHK voltage equation here accepts "
                f"{', '.join(repr(k) for k in VALENCE)}"
            )
        out[ion] = v
    return out


def ghk_potential(
    permeability: Mapping[str, float],
    c_out: Mapping[str, float],
    c_in: Mapping[str, float],
    T: float = 310.15,
) -> float:
    """Resting potential from the Goldman-Hodgkin-Katz voltage equation.

    For monovalent ions,

        V = (R T / F) ln( (sum_cations P c_out + sum_anions P c_in)
                          / (sum_cations P c_in + sum_anions P c_out) ),

    so for an anion such as Cl- the inside and outside concentrations swap places
    (its valence is -1). With a single permeant ion this is the Nernst potential.

    Parameters
    ----------
    permeability : dict
        Relative permeabilities keyed by ion (``"K"``, ``"Na"``, ``"Cl"``); non-negative,
        at least one positive. Only ratios matter. Ions left out are impermeant.
    c_out, c_in : dict
        Concentrations outside and inside (mM), keyed by ion; each permeant ion needs a
        positive value in both. Extra ions are ignored.
    T : float, optional
        Absolute temperature (K), positive. Default 310.15 K (37 C).

    Returns
    -------
    float
        Membrane potential at which the net current is zero (mV).

    Raises
    ------
    ValueError
        For an unknown ion name, a negative or non-finite permeability, all
        permeabilities zero, a missing or non-positive concentration, or ``T <= 0``.

    Examples
    --------
    >>> s = SQUID_AXON
    >>> round(ghk_potential(s.permeability, s.c_out, s.c_in, T=s.T), 1)
    -59.9
    """
    perm = _ion_dict("permeability", permeability)
    c_out = _ion_dict("c_out", c_out)
    c_in = _ion_dict("c_in", c_in)
    vt = thermal_voltage(T)
    if not perm:
        raise ValueError("permeability must name at least one ion, got an empty dict")
    num = 0.0
    den = 0.0
    for ion, p in perm.items():
        p = check_number(f"permeability[{ion!r}]", p, 0.0, math.inf)
        if p == 0.0:
            continue
        for label, conc in (("c_out", c_out), ("c_in", c_in)):
            if ion not in conc:
                raise ValueError(
                    f"{label} has no concentration for the permeant ion {ion!r}; "
                    f"give a positive value in mM"
                )
        co = check_number(f"c_out[{ion!r}]", c_out[ion], 0.0, math.inf, lo_open=True)
        ci = check_number(f"c_in[{ion!r}]", c_in[ion], 0.0, math.inf, lo_open=True)
        if VALENCE[ion] > 0:
            num += p * co
            den += p * ci
        else:
            num += p * ci
            den += p * co
    if den == 0.0:
        raise ValueError(
            f"permeability must have at least one positive value, got {dict(perm)!r}"
        )
    return vt * math.log(num / den)


@dataclass(frozen=True)
class IonSet:
    """Concentrations, resting permeabilities and temperature of one preparation.

    Attributes
    ----------
    name : str
        What the values describe.
    c_out, c_in : dict
        Concentrations outside and inside (mM), keyed by ion.
    permeability : dict
        Relative resting permeabilities keyed by ion (P_K = 1).
    T : float
        Temperature the values refer to (K).
    source : str
        Where the numbers come from.
    """

    name: str
    c_out: Mapping[str, float]
    c_in: Mapping[str, float]
    permeability: Mapping[str, float]
    T: float
    source: str = field(default="")

    def __post_init__(self) -> None:
        # Read-only views, so a notebook cannot change the shared reference values.
        for name in ("c_out", "c_in", "permeability"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    def nernst(self, ion: str) -> float:
        """Nernst potential (mV) of one ion of this set at its temperature."""
        if ion not in VALENCE:
            raise ValueError(f"ion must be one of {', '.join(map(repr, VALENCE))}; got {ion!r}")
        return nernst(self.c_out[ion], self.c_in[ion], VALENCE[ion], self.T)

    def ghk(self) -> float:
        """GHK resting potential (mV) of this set at its temperature."""
        return ghk_potential(self.permeability, self.c_out, self.c_in, self.T)


#: Typical mammalian neuron at 37 C (Purves et al., "Neuroscience", ch. 2; see module doc).
MAMMALIAN_NEURON = IonSet(
    name="mammalian neuron",
    c_out={"K": 5.0, "Na": 145.0, "Cl": 110.0},
    c_in={"K": 140.0, "Na": 12.0, "Cl": 8.0},
    permeability={"K": 1.0, "Na": 0.05, "Cl": 0.45},
    T=310.15,
    source="Purves et al., Neuroscience, ch. 2 (concentrations; one value chosen within "
           "each published range); permeability ratios a common textbook choice",
)

#: Squid giant axon at 20 C (Kandel et al.; Hodgkin & Katz 1949; see module doc).
SQUID_AXON = IonSet(
    name="squid giant axon",
    c_out={"K": 20.0, "Na": 440.0, "Cl": 560.0},
    c_in={"K": 400.0, "Na": 50.0, "Cl": 52.0},
    permeability={"K": 1.0, "Na": 0.04, "Cl": 0.45},
    T=293.15,
    source="Kandel et al., Principles of Neural Science (concentrations); Hodgkin & Katz, "
           "J. Physiol. 108:37 (1949) (P_K:P_Na:P_Cl = 1:0.04:0.45)",
)

#: The reference sets by name, for a calculator's drop-down.
ION_SETS: dict[str, IonSet] = {s.name: s for s in (MAMMALIAN_NEURON, SQUID_AXON)}
