"""Shared test settings: a Hypothesis profile suited to compiled simulations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Simulations are compiled on first use, so the first example can be slow: no deadline.
settings.register_profile(
    "neurolab", deadline=None, max_examples=30,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("neurolab")


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator, so random test states are the same on every run."""
    return np.random.default_rng(20240607)
