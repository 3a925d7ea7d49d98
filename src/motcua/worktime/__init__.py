"""Working-time calendar and deadline engine (pure Python + numpy, no Django)."""
from .engine import WorkCalendar, default_calendar
from .hours import TZ, OfficeHours

__all__ = ["TZ", "OfficeHours", "WorkCalendar", "default_calendar"]
