"""`motcua indicators --period P --format json|xlsx|pdf [--output FILE] [--kind KIND | --agency CODE ...]`

Decision 766 indicators of every agency of a kind (departments by default) for a period: 2026-06 (month),
2026-Q2 (quarter), 2026-H1 (six months), 2026 (year). JSON goes to standard output unless --output is given;
xlsx/pdf need --output (or write to ./chi-so-<period>.<format>).

`motcua indicators score --set dvcqg-2026 FILE.json` scores counts the way the national portal does (2026
scoring: CKMB, TDGQ, ONLINE, TTTT, MDSH, MDHL) and prints the points as JSON (indicators/dvcqg2026.py).

`motcua indicators --period P --set dvcqg-2026` prints Motcua's own data scored with the 2026 set (JSON:
groups, metrics held or not held with the reason, ranking, change since the previous period).

`motcua indicators --rebuild` recomputes the per-dossier facts and the monthly cube from scratch (first run
on an existing database); otherwise they are brought up to date incrementally on every run.
"""
import json
import time

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action")
        score = sub.add_parser("score", help="score a JSON file of counts the way the national portal does")
        score.add_argument("--set", dest="indicator_set", required=True, help="indicator set: dvcqg-2026")
        score.add_argument("file", help="the JSON file (- for standard input)")
        parser.add_argument("--period", help="2026-06 | 2026-Q2 | 2026-H1 | 2026")
        parser.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json")
        parser.add_argument("--output", "-o", default=None)
        parser.add_argument("--kind", default=None, help="agency kind to rank (default: department)")
        parser.add_argument("--agency", action="append", default=None, help="agency code (repeatable)")
        parser.add_argument("--rebuild", action="store_true", help="recompute facts and cube from scratch")
        parser.add_argument("--set", dest="report_set", default=None, choices=["dvcqg-2026"],
                            help="score Motcua's data with this set instead of the Decision 766 report (JSON)")

    def handle(self, *args, **o):
        from motcua.indicators import compute, exports, facts, own2026
        from motcua.indicators.periods import parse

        if o.get("action") == "score":
            return self._score(o)
        if o["rebuild"]:
            t0 = time.monotonic()
            n = facts.rebuild()
            self.stderr.write(f"Đã tính lại {n} hồ sơ trong {time.monotonic() - t0:.1f} s.")
            if not o["period"]:
                return
        if not o["period"]:
            raise CommandError("Thiếu --period (ví dụ 2026-06, 2026-Q2, 2026-H1, 2026).")
        try:
            period = parse(o["period"])
            if o["report_set"]:
                if o["format"] != "json":
                    raise CommandError("invalid_format: --set dvcqg-2026 chỉ xuất JSON.")
                rep = own2026.report(period, kind=o["kind"], agencies=o["agency"])
            else:
                rep = compute.report(period, kind=o["kind"], agencies=o["agency"])
            if o["format"] == "json":
                text = json.dumps(rep, ensure_ascii=False, indent=2)
                if o["output"]:
                    with open(o["output"], "w", encoding="utf-8") as fh:
                        fh.write(text)
                else:
                    self.stdout.write(text)
                return
            data = exports.xlsx_bytes(rep) if o["format"] == "xlsx" else exports.pdf_bytes(
                rep, compute.trend(period, kind=o["kind"]))
        except DomainError as e:
            raise CommandError(f"{e.code}: {e.message}") from None
        path = o["output"] or f"chi-so-{period.code}.{o['format']}"
        with open(path, "wb") as fh:
            fh.write(data)
        self.stderr.write(f"Đã ghi {path} ({len(data)} byte).")

    def _score(self, o):
        import sys

        from motcua.indicators import dvcqg2026

        if o["indicator_set"] != dvcqg2026.SET_CODE:
            raise CommandError(f"unknown_set: Bộ chỉ số phải là --set {dvcqg2026.SET_CODE}.")
        try:
            if o["file"] == "-":
                document = json.load(sys.stdin)
            else:
                with open(o["file"], encoding="utf-8") as fh:
                    document = json.load(fh)
        except OSError as e:
            raise CommandError(f"unreadable_file: Không đọc được tệp {o['file']}: {e.strerror}.") from None
        except ValueError as e:
            raise CommandError(f"invalid_json: Tệp không phải JSON hợp lệ ({e}).") from None
        try:
            result = dvcqg2026.score_document(document)
        except dvcqg2026.ScoringInputError as e:
            raise CommandError(f"{e.code}: {e} {json.dumps(e.details, ensure_ascii=False)}") from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
