from django.core.management.base import BaseCommand, CommandError

from motcua.agencies.calendar import calendar_for
from motcua.agencies.duecalc import compute_due
from motcua.agencies.models import Agency
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = "Working-time calendar: `calendar due --start ISO (--working-days N | --working-hours N) [--agency CODE]`"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        due = sub.add_parser("due", help="print the due moment (ISO 8601, +07:00)")
        due.add_argument("--start", required=True, help="receipt moment, ISO 8601 (no offset = +07:00)")
        group = due.add_mutually_exclusive_group(required=True)
        group.add_argument("--working-days")
        group.add_argument("--working-hours")
        due.add_argument("--agency", help="agency code (its office hours)")
        due.add_argument("--cutoff", help="receipt cut-off hour HH:MM")
        ov = sub.add_parser("override", help="add/change (or --remove) a day off or make-up working day")
        ov.add_argument("--day", required=True, help="YYYY-MM-DD")
        ov.add_argument("--kind", choices=["day_off", "working_day"])
        ov.add_argument("--note", default="")
        ov.add_argument("--remove", action="store_true")
        rec = sub.add_parser("recompute", help="recompute due moments of open dossiers after a calendar change")
        rec.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        if opts["sub"] == "override":
            return self._override(opts)
        if opts["sub"] == "recompute":
            from motcua.dossiers.recompute import recompute_open_dossiers
            result = recompute_open_dossiers(dry_run=opts["dry_run"], progress=True)
            self.stdout.write(f"{result['checked']} checked, {result['changed']} changed, {result['skipped']} skipped "
                              f"(changed meanwhile; run again) in {result['seconds']:.2f}s")
            return
        agency = None
        if opts.get("agency"):
            agency = Agency.objects.filter(code=opts["agency"]).first()
            if agency is None:
                raise CommandError(f"Không có cơ quan mã {opts['agency']!r}.")
        try:
            result = compute_due(calendar_for(agency), opts["start"], opts.get("working_days"),
                                 opts.get("working_hours"), opts.get("cutoff"))
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}")
        self.stdout.write(result["due"].isoformat())

    def _override(self, opts):
        from motcua.agencies import services
        from motcua.agencies.models import Role
        from motcua.agencies.scope import Actor

        operator = Actor(user_id=None, username="cli", roles=frozenset({(Role.ADMINISTRATOR, "/")}), org_paths=("/",))
        try:
            if opts["remove"]:
                deleted, result = services.remove_calendar_override(operator, opts["day"])
                self.stdout.write(f"removed {deleted}")
            else:
                if not opts.get("kind"):
                    raise CommandError("--kind day_off|working_day")
                _o, result = services.set_calendar_override(operator, opts["day"], opts["kind"], opts["note"])
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}")
        if result:
            self.stdout.write(f"{result['checked']} open dossiers checked, {result['changed']} due moments moved")
