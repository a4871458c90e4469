"""Small curve helpers for the generator: monotone cubic interpolation and smooth ramps."""

from __future__ import annotations

import numpy as np


def smoothstep(u: np.ndarray) -> np.ndarray:
    """0 -> 1 ramp with zero slope at both ends (cubic), for u clipped to [0, 1]."""
    u = np.clip(u, 0.0, 1.0)
    return u * u * (3 - 2 * u)


def minimum_jerk(u: np.ndarray) -> np.ndarray:
    """0 -> 1 minimum-jerk profile 10u^3 - 15u^4 + 6u^5 for u clipped to [0, 1]."""
    u = np.clip(u, 0.0, 1.0)
    return u**3 * (10 - 15 * u + 6 * u * u)


def pchip(knots: np.ndarray, values: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Monotone piecewise-cubic Hermite interpolation (Fritsch-Carlson) of ``values`` (K or K x D) at
    times ``t``; constant outside the knots. Knot times must increase strictly. No overshoot, so a
    stationary stretch (two equal knots) stays exactly stationary."""
    knots = np.asarray(knots, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    flat = values.ndim == 1
    v = values[:, None] if flat else values
    h = np.diff(knots)[:, None]
    secant = np.diff(v, axis=0) / h
    slope = np.zeros_like(v)
    same = secant[:-1] * secant[1:] > 0
    w1 = 2 * h[1:] + h[:-1]
    w2 = h[1:] + 2 * h[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        harmonic = (w1 + w2) / (w1 / secant[:-1] + w2 / secant[1:])
    slope[1:-1] = np.where(same, harmonic, 0.0)
    tc = np.clip(t, knots[0], knots[-1])
    i = np.clip(np.searchsorted(knots, tc, side="right") - 1, 0, len(knots) - 2)
    dt = h[i]
    u = ((tc - knots[i]) / dt[:, 0])[:, None]
    h00, h10, h01, h11 = 2 * u**3 - 3 * u**2 + 1, u**3 - 2 * u**2 + u, -2 * u**3 + 3 * u**2, u**3 - u**2
    out = h00 * v[i] + h10 * dt * slope[i] + h01 * v[i + 1] + h11 * dt * slope[i + 1]
    return out[:, 0] if flat else out
