"""Response-time engagement: the chance a customer still considers a reply after t hours.

e(t) = e_min + (1 − e_min)·exp(−t/τ). With τ = 30 minutes and e_min = 0.007 (realistic) this gives the
shape of the lead-response studies (about 7× better within an hour than later, over 60×
better than after a day); classroom presets stretch τ so that people, not only automation,
can win customers.
"""

from __future__ import annotations

import math


def engagement(reply_hours: float, tau_hours: float, floor: float) -> float:
    """Probability that a reply sent ``reply_hours`` after the inquiry is still considered."""
    if reply_hours <= 0:
        return 1.0
    return floor + (1.0 - floor) * math.exp(-reply_hours / tau_hours)
