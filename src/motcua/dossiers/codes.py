"""Dossier codes: <agency code>-<yymmdd>-<4-digit daily sequence> (format configurable, DOMAIN.md marks it
unconfirmed). The daily counter row is incremented by one upsert inside the intake transaction: a
rolled-back intake rolls its number back too, so numbers are unique, never reused and gap-free."""
from django.conf import settings
from django.db import connection

from motcua.worktime import TZ

from .models import DailyCounter



def next_sequence(agency_id, day):
    table = DailyCounter._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [agency_id, day],
        )
        return cur.fetchone()[0]


def format_code(agency_code, day, seq):
    return settings.MOTCUA_DOSSIER_CODE_FORMAT.format(agency=agency_code, yymmdd=day.strftime("%y%m%d"), seq=seq)


def new_code(agency, moment):
    day = moment.astimezone(TZ).date()
    return format_code(agency.code, day, next_sequence(agency.pk, day))
