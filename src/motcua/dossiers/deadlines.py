"""Deadline helpers for dossiers and steps: thin adapters over the pure worktime engine, which counts
in working days/hours; dossiers and steps store their allowances in working minutes."""
from fractions import Fraction

from motcua.worktime import TZ  # noqa: F401  (re-exported for callers that format local times)


def clock_start(cal, received_at, cutoff=None):
    """The moment the clock starts: the next working moment, or the next working day's start when the
    procedure has a cut-off hour and receipt came at or after it."""
    return cal.clock_start(received_at, cutoff)


def due_with_pauses(cal, start, minutes, pauses=()):
    """Due moment of `minutes` of working time from `start`, not counting working time inside pauses;
    None while a pause that began before the due moment is still open."""
    return cal.due(start, working_hours=Fraction(minutes, 60), pauses=pauses)
