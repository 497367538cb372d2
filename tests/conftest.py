"""Test suite root: make the repository importable however pytest is started, and keep
Hypothesis free of timed assertions.

Hypothesis fails an example that runs longer than its ``deadline`` (200 ms by default), and
its ``too_slow`` health check fails a test whose examples take long to generate; on a loaded
machine correct code can be that slow, so a property test would fail on the machine's load,
not on the code. Speed is measured by the benchmarks in bench/, never by a test: the profile
loaded here turns both off for every property test, including those whose ``@settings`` do
not mention them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

settings.register_profile("salesfloor", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("salesfloor")
