"""Vectorised working-time addition over a calendar's period arrays (numpy)."""
from __future__ import annotations

import numpy as np


def add_minutes_batch(index, starts, minutes) -> np.ndarray:
    """Vectorised twin of ``WorkCalendar.add_working_minutes`` on epoch seconds.

    ``index`` is a ``WorkCalendar`` (only its numpy arrays are used):
      ps, pe  start / end epoch second of every working period, ascending;
      cs, ce  working seconds elapsed before the start / at the end of each period.
    Working-time coordinate of a moment t:  W(t) = cs[i] + min(t, pe[i]) - ps[i]
    with i the last period starting at or before t.  The result is the earliest
    moment whose coordinate reaches W(start) + minutes*60, i.e. the first period
    whose ``ce`` is >= the target (searchsorted side='left'), which yields the
    END of the earlier period on a boundary.
    """
    s = np.asarray(starts, dtype=np.int64)
    m = np.asarray(minutes, dtype=np.int64)
    s, m = np.broadcast_arrays(s, m)
    if s.size == 0:
        return np.empty(s.shape, dtype=np.int64)
    if (m < 0).any():
        raise ValueError("minutes must be >= 0")
    s = -(-s // 60) * 60  # round starts up to a whole minute
    lo, hi = int(s.min()), int(s.max())
    if lo < index.range_start or hi >= index.range_end:
        raise ValueError(index.range_error(lo if lo < index.range_start else hi))
    ps, pe, cs, ce = index.ps_arr, index.pe_arr, index.cs_arr, index.ce_arr
    # i >= 0 always: period 0 is a zero-length sentinel at range_start.
    i = np.searchsorted(ps, s, side="right") - 1
    target = cs[i] + np.minimum(s, pe[i]) - ps[i] + m * 60
    j = np.searchsorted(ce, target, side="left")
    if (j >= len(ce)).any():
        raise ValueError("a due moment falls after the calendar's last year; widen `years`")
    t = ps[j] + (target - cs[j])
    return np.where(m == 0, s, t)
