"""Errors of the simulator package."""

from __future__ import annotations


class SimulatorError(Exception):
    """Base class of every error the simulator raises (bad setup, time running backwards)."""
