"""Deadline arithmetic for dossiers and steps on top of the pure worktime engine."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def merge_pauses(pauses):
    """Sort and merge (start, end|None) intervals; an open pause swallows everything after it."""
    out = []
    for start, end in sorted(pauses, key=lambda p: p[0]):
        if out and (out[-1][1] is None or start <= out[-1][1]):
            last_start, last_end = out[-1]
            out[-1] = (last_start, None if end is None or last_end is None else max(last_end, end))
        else:
            out.append((start, end))
    return out


def clock_start(cal, received_at, cutoff=None):
    """The moment the clock starts: the next working moment, or the next working day's start when the
    procedure has a cut-off hour and receipt came at or after it."""
    if cutoff is not None:
        local = received_at.astimezone(TZ)
        if not cal.is_working_day(local.date()) or local.time() >= cutoff:
            next_day = datetime.combine(local.date() + timedelta(days=1), time(0, 0), tzinfo=TZ)
            return cal.next_working_moment(next_day)
    return cal.next_working_moment(received_at)


def due_with_pauses(cal, start, minutes, pauses=()):
    """Due moment of `minutes` of working time from `start`, not counting working time inside pauses.
    None while a pause that began before the due moment is still open."""
    due = cal.add_working_minutes(start, minutes)
    for p_start, p_end in merge_pauses(pauses):
        if p_end is not None and p_end <= start:
            continue
        if p_start >= due:
            break
        if p_end is None:
            return None
        extra = cal.working_minutes_between(max(p_start, start), p_end)
        if extra:
            due = cal.add_working_minutes(due, extra)
    return due
