"""Deadline helper for dossiers and steps: an adapter over the pure worktime engine, which counts in
working days/hours; dossiers and steps store their allowances in working minutes."""
from fractions import Fraction


def due_with_pauses(cal, start, minutes, pauses=()):
    """Due moment of `minutes` of working time from `start`, not counting working time inside pauses;
    None while a pause that began before the due moment is still open."""
    return cal.due(start, working_hours=Fraction(minutes, 60), pauses=pauses)
