"""`motcua seed`: the demo province "tỉnh Hòa Bình Demo", and synthetic dossiers for benchmarks.

    motcua seed                       base seed: 17 departments with units, a public administration
                                      centre, 8 districts x 5 communes, ~50 procedures, staff in every
                                      role, ~1,000 dossiers in all 10 statuses made through the services
    motcua seed --dossiers N [--agency CODE]
                                      N more synthetic dossiers, written in bulk (COPY on PostgreSQL)

The base seed is idempotent: when the demo province already exists it is left as it is; when the
database holds other agencies the command refuses. --dossiers runs the base seed first if needed.

Demo accounts (password "motcua-demo"): `admin` (superuser, administrator of the whole province) and
"<slug>.<role>" where role is tiepnhan (receiving officer), chuyenvien (specialist), truongphong (unit
head), lanhdao (agency leader), vanthu (clerk), quantri (administrator), and slug is
  - a department's symbol in lower case: snv stp stc syt sgddt snnmt sct svhttdl skhcn sgtvt sldtbxh
    sngv ttt bdt bqlkcn sxd vpubnd (e.g. sxd.tiepnhan, stp.chuyenvien, sxd.lanhdao)
  - the centre: ttpvhcc (ttpvhcc.tiepnhan, ttpvhcc.tiepnhan2)
  - a district: tphoabinh luongson kimboi caophong tanlac maichau lacson yenthuy (luongson.tiepnhan)
  - a commune: "<district>-x<1..5>" (luongson-x1.tiepnhan, luongson-x1.chuyenvien, luongson-x1.lanhdao,
    luongson-x1.vanthu); communes have no unit head
Citizen accounts: congdan1 .. congdan5.
"""
import json
import random
import sys
import time as _time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from motcua.agencies.calendar import calendar_for
from motcua.agencies.models import Agency, AgencyKind, Membership, Role
from motcua.agencies.scope import actor_for
from motcua.catalog.models import Component, Fee, Field, Procedure, ProcessStep
from motcua.core.seeddata import procedures as P
from motcua.core.seeddata import province as PV
from motcua.dossiers import history, services
from motcua.dossiers.codes import TZ
from motcua.office import demo as office_demo
from motcua.dossiers.models import (DailyCounter, Dossier, DossierStep, HistoryEvent, Pause, PauseKind,
                                    ResultDelivery, Status)

UTC = dt_timezone.utc
DAY = 86400
LOCAL_OFFSET = 7 * 3600  # Asia/Ho_Chi_Minh has no daylight saving time


def _help():
    return __doc__


# =====================================================================================================
# base province
# =====================================================================================================

def _agency(code, name, kind, parent=None, symbol="", address=""):
    a = Agency(code=code, name=name, kind=kind, parent=parent, symbol=symbol, address=address)
    a.save()
    return a


def build_province():
    """Agencies. Returns a dict with the tree and the organisations staff belong to."""
    root = _agency(PV.PROVINCE["code"], PV.PROVINCE["name"], AgencyKind.PROVINCE, symbol=PV.PROVINCE["symbol"],
                   address=PV.PROVINCE["address"])
    centre = _agency(PV.CENTRE["code"], PV.CENTRE["name"], AgencyKind.CENTRE, root, PV.CENTRE["symbol"],
                     PV.CENTRE["address"])
    orgs = []  # (slug, organisation, unit for specialist/unit head, kind)
    departments = {}
    for number, symbol, name, units in PV.DEPARTMENTS:
        dept = _agency(f"000.00.{number:02d}.{PV.SUFFIX}", name, AgencyKind.DEPARTMENT, root, symbol,
                       f"Trụ sở {name}, thành phố Hòa Bình")
        unit_objs = [_agency(f"000.{number:02d}.{i:02d}.{PV.SUFFIX}", unit, AgencyKind.UNIT, dept)
                     for i, unit in enumerate(units, start=1)]
        work_unit = unit_objs[1] if len(unit_objs) > 1 else unit_objs[0]
        departments[symbol] = (dept, work_unit)
        orgs.append((symbol.lower(), dept, work_unit, "department"))
    districts, communes = [], []
    for number, slug, name, commune_names in PV.DISTRICTS:
        dist = _agency(f"000.20.{number:02d}.{PV.SUFFIX}", name, AgencyKind.DISTRICT, root, slug.upper(),
                       f"Trụ sở {name}")
        units = [_agency(f"{100 + i:03d}.20.{number:02d}.{PV.SUFFIX}", unit, AgencyKind.UNIT, dist)
                 for i, unit in enumerate(PV.DISTRICT_UNITS, start=1)]
        districts.append((dist, units[1]))
        orgs.append((slug, dist, units[1], "district"))
        for c, cname in enumerate(commune_names, start=1):
            com = _agency(f"{c:03d}.20.{number:02d}.{PV.SUFFIX}", f"UBND {cname}", AgencyKind.COMMUNE, dist,
                          f"{slug.upper()}-X{c}", f"Trụ sở UBND {cname}, {name[5:]}")
            communes.append(com)
            orgs.append((f"{slug}-x{c}", com, com, "commune"))
    return {"root": root, "centre": centre, "departments": departments, "districts": districts,
            "communes": communes, "orgs": orgs}


def build_catalog(tree):
    fields = {code: Field.objects.create(code=code, name=name) for code, name in P.FIELDS}
    procs = []
    for (code, name, field, level, online, tval, tunit, cutoff, comps, fees, result, legal) in P.PROCEDURES:
        kind, _sep, symbol = level.partition(":")
        cut = datetime.strptime(cutoff, "%H:%M").time() if cutoff else None
        proc = Procedure.objects.create(
            code=code, name=name, field=fields[field], online_level=online, time_value=Decimal(tval), time_unit=tunit,
            cutoff=cut, result_type=result, legal_basis=legal,
            requirements="Không" if kind != "dept" else "Theo quy định của pháp luật chuyên ngành")
        if kind == "dept":
            dept, unit = tree["departments"][symbol]
            proc.agencies.add(dept)
            unit_name = unit.name
        elif kind == "district":
            proc.agencies.add(*[d for d, _u in tree["districts"]])
            unit_name = "Phòng chuyên môn thuộc UBND huyện"
        else:
            proc.agencies.add(*tree["communes"])
            unit_name = ""
        Component.objects.bulk_create([Component(procedure=proc, order=i, name=n, form=f, count=c, required=r)
                                       for i, (n, f, c, r) in enumerate(comps, start=1)])
        Fee.objects.bulk_create([Fee(procedure=proc, name=n, amount=a) for n, a in fees])
        ProcessStep.objects.bulk_create([
            ProcessStep(procedure=proc, order=o, name=n, unit_name=u, role=r, allowance_hours=h)
            for o, n, u, r, h in P.steps_for(kind, tval, tunit, unit_name)])
        procs.append(proc)
    return procs


def build_staff(tree):
    """Users and memberships; one password hash for all (hashing is deliberately slow)."""
    User = get_user_model()
    hashed = make_password(PV.PASSWORD)
    users, members = [], []  # members: (username, agency, role, title)

    def add(username, first, last, agency, role, title=None):
        users.append(User(username=username, password=hashed, first_name=first, last_name=last,
                          email=f"{username}@hoabinh-demo.gov.vn", is_staff=True))
        members.append((username, agency, role, title or PV.ROLE_TITLE[role]))

    rng = random.Random(7)
    name = lambda: (rng.choice(PV.MIDDLE) + " " + rng.choice(PV.GIVEN), rng.choice(PV.SURNAMES))  # noqa: E731
    for slug, org, work_unit, kind in tree["orgs"]:
        roles = list(PV.ROLE_SUFFIX)
        if kind == "commune":
            roles.remove(Role.UNIT_HEAD)
        for role in roles:
            agency = work_unit if role in (Role.SPECIALIST, Role.UNIT_HEAD) else org
            title = None
            if role == Role.AGENCY_LEADER:
                title = {"department": "Phó Giám đốc Sở", "district": "Phó Chủ tịch UBND huyện",
                         "commune": "Chủ tịch UBND xã"}[kind]
            add(f"{slug}.{PV.ROLE_SUFFIX[role]}", *name(), agency, role, title)
    for i in (1, 2):
        add(f"ttpvhcc.tiepnhan{'' if i == 1 else i}", *name(), tree["centre"], Role.RECEIVING_OFFICER)
    add("ttpvhcc.quantri", *name(), tree["centre"], Role.ADMINISTRATOR)
    User.objects.bulk_create(users)
    admin = User.objects.create(username="admin", password=hashed, first_name="Quản trị", last_name="tỉnh",
                                email="admin@hoabinh-demo.gov.vn", is_staff=True, is_superuser=True)
    ids = dict(User.objects.filter(username__in=[u.username for u in users]).values_list("username", "id"))
    Membership.objects.bulk_create([Membership(user_id=ids[u], agency=a, role=r, title=t) for u, a, r, t in members])
    Membership.objects.create(user=admin, agency=tree["root"], role=Role.ADMINISTRATOR, title="Quản trị hệ thống tỉnh")
    User.objects.bulk_create([User(username=u, password=hashed, first_name=n.split()[-1], last_name=n.split()[0])
                              for u, n in PV.CITIZENS])
    return len(users) + 1 + len(PV.CITIZENS)


# =====================================================================================================
# base dossiers, through the services
# =====================================================================================================

# target status -> weight (how many dossiers end in that status)
LIFECYCLE_WEIGHTS = {1: 4, 2: 4, 3: 3, 4: 10, 5: 4, 6: 2, 7: 2, 8: 2, 9: 6, 10: 63}


class _People:
    """Actors by (organisation id, role), loaded once."""

    def __init__(self):
        self.by = {}
        for m in Membership.objects.select_related("user", "agency", "agency__parent"):
            org = m.agency.organisation
            self.by.setdefault((org.pk, m.role), actor_for(m.user))
        User = get_user_model()
        self.citizens = [actor_for(u) for u in User.objects.filter(username__in=[c for c, _n in PV.CITIZENS])]
        self.citizen_users = {a.user_id: u for a, u in zip(self.citizens, User.objects.filter(
            username__in=[c for c, _n in PV.CITIZENS]))}

    def get(self, agency, role):
        return self.by[(agency.pk, role)]


def _applicant(rng, procedure):
    if procedure.field.code in ("DN", "DTU", "KCN", "TM", "DL", "MT", "TNN", "DUOC") and rng.random() < 0.7:
        name, kind = rng.choice(PV.COMPANIES), "organisation"
        idn = "54" + "".join(rng.choice("0123456789") for _ in range(8))
    else:
        name = f"{rng.choice(PV.SURNAMES)} {rng.choice(PV.MIDDLE)} {rng.choice(PV.GIVEN)}"
        kind = "citizen"
        idn = "017" + "".join(rng.choice("0123456789") for _ in range(9))
    phone = "09" + "".join(rng.choice("0123456789") for _ in range(8))
    return {"applicant_name": name, "applicant_kind": kind, "applicant_id_number": idn,
            "applicant_phone": phone, "applicant_email": "",
            "applicant_address": f"Số {rng.randint(1, 300)} đường {rng.choice(PV.STREETS)}, tỉnh Hòa Bình Demo"}


class LifecycleSeeder:
    """Dossiers made by calling the services with `now=` moments in the past, so codes, steps, pauses,
    extensions and the hash-chained histories are exactly what real use would produce."""

    def __init__(self, rng, now, tree):
        self.rng, self.now, self.tree = rng, now, tree
        self.cal = calendar_for(None)
        self.people = _People()
        self.limit = now - timedelta(minutes=5)
        self.procs = list(Procedure.objects.select_related("field").prefetch_related("agencies", "steps"))
        # Commune and district procedures are the most frequent in real provinces.
        self.proc_weights = [5 if any(a.kind == AgencyKind.COMMUNE for a in p.agencies.all()) else
                             3 if any(a.kind == AgencyKind.DISTRICT for a in p.agencies.all()) else 1
                             for p in self.procs]
        self.counts = {}

    # ------------------------------------------------------------------ time helpers
    def _t(self, t, prev):
        """Keep every act strictly in the past and after the previous act."""
        if t < self.limit:
            return t
        return prev + (self.limit - prev) / 2

    def _after(self, t, minutes):
        return self._t(self.cal.add_working_minutes(t, max(int(minutes), 1)), t)

    def _start(self, target, proc):
        rng, cal = self.rng, self.cal
        total_days = float(proc.time_value) * (1 if proc.time_unit == "days" else 0.125)
        span = total_days * 1.6 + 6  # calendar days a whole dossier may take
        if target in (1, 2):
            age = rng.uniform(0.05, 2.5)
        elif target in (4, 5, 6):
            age = rng.uniform(0.5, max(1.0, total_days * 0.9))
        elif target == 9:
            age = rng.uniform(span * 0.8, span + 6)
        else:
            age = rng.uniform(min(span, 360), 365)
        local = (self.now - timedelta(days=age)).astimezone(TZ)
        minute = rng.choice([rng.randint(7 * 60 + 30, 11 * 60 + 20), rng.randint(13 * 60, 16 * 60 + 50)])
        moment = local.replace(hour=minute // 60, minute=minute % 60, second=rng.randint(0, 59), microsecond=0)
        return moment

    # ------------------------------------------------------------------ one dossier
    def one(self, target):
        rng, cal, people = self.rng, self.cal, self.people
        proc = rng.choices(self.procs, weights=self.proc_weights)[0]
        agencies = list(proc.agencies.all())
        agency = rng.choice(agencies)
        ro = people.get(agency, Role.RECEIVING_OFFICER)
        online = target in (1,) or (target == 3 and rng.random() < 0.6) or rng.random() < 0.55
        data = {"procedure": proc.code, "agency": agency.code, "request": proc.name,
                **_applicant(rng, proc)}
        t0 = self._start(target, proc)
        if online:
            t0 = t0.replace(hour=rng.choice([6, 8, 10, 14, 16, 19, 21, 22]))
            if t0 > self.limit:
                t0 = self.limit - timedelta(minutes=rng.randint(10, 600))
            citizen = rng.choice(people.citizens)
            data.update(channel=2, submitted_at=t0)
            d, _r = services.intake(citizen, data, now=t0)
            if target == 1:
                return d
            if target == 3:
                officer = ro
                t = self._after(cal.next_working_moment(t0), rng.randint(15, 300))
                services.refuse(officer, d.code, now=t, reason="Hồ sơ không đúng thẩm quyền giải quyết / thành phần "
                                                               "hồ sơ không hợp lệ theo quy định.")
                return d
            t = self._after(cal.next_working_moment(t0), rng.randint(5, 240))
            d = services.receive(ro, d.code, now=t)
        else:
            t0 = cal.next_working_moment(t0)
            if t0 > self.limit:
                t0 = cal.next_working_moment(self.limit - timedelta(days=3))
            data["channel"] = 3 if rng.random() < 0.08 else 1
            intake_officer = ro
            if agency.kind == AgencyKind.DEPARTMENT and rng.random() < 0.5:
                intake_officer = people.get(self.tree["centre"], Role.RECEIVING_OFFICER)
                data["intake_agency"] = self.tree["centre"].code
            d, _r = services.intake(intake_officer, data, now=t0)
            ro = intake_officer
            t = t0
        if target == 2:
            return d
        d.refresh_from_db()
        code = d.code
        steps = list(d.steps.order_by("order"))
        late_profile = rng.random() < 0.14
        early_profile = rng.random() < 0.35
        supplement_cycle = target in (9, 10) and rng.random() < 0.12
        financial_cycle = target in (9, 10) and rng.random() < 0.04
        stop_at = None
        if target == 4:
            stop_at = rng.randint(2, len(steps))
        if target == 7:
            services.withdraw(ro, code, now=self._after(t, rng.randint(30, 900)),
                              reason="Công dân có đơn đề nghị rút hồ sơ để bổ sung, điều chỉnh nội dung.")
            return d
        if target == 3:
            t = self._after(t, rng.randint(30, 600))
            services.refuse(people.get(agency, Role.SPECIALIST), code, now=t,
                            reason="Hồ sơ không đủ điều kiện giải quyết theo quy định.")
            return d
        for step in steps:
            actor = ro if step.role == Role.RECEIVING_OFFICER else people.get(agency, step.role)
            if step.order == 2 and target in (5, 6) and step.role == Role.SPECIALIST:
                t = self._after(t, step.allowance_minutes * rng.uniform(0.1, 0.6))
                if target == 5:
                    services.request_supplement(actor, code, now=t, components=["Bản vẽ, giấy tờ còn thiếu"],
                                                reason="Thành phần hồ sơ chưa đầy đủ, đề nghị bổ sung theo quy định.")
                else:
                    services.request_financial(actor, code, now=t, amount=int(d.fee_total or 500000),
                                               reason="Đề nghị thực hiện nghĩa vụ tài chính trước khi giải quyết.")
                return d
            if step.order == 2 and (supplement_cycle or financial_cycle) and step.role == Role.SPECIALIST:
                t = self._after(t, step.allowance_minutes * rng.uniform(0.1, 0.5))
                if supplement_cycle:
                    services.request_supplement(actor, code, now=t, components=["Giấy tờ chứng minh bổ sung"],
                                                reason="Đề nghị bổ sung giấy tờ chứng minh theo quy định.")
                    t = self._after(t, rng.randint(240, 2400))
                    services.supplement_received(ro if ro.has_role(Role.RECEIVING_OFFICER) else actor, code, now=t,
                                                 note="Đã nhận đủ hồ sơ bổ sung")
                else:
                    services.request_financial(actor, code, now=t, amount=int(d.fee_total or 300000),
                                               reason="Đề nghị nộp lệ phí, nghĩa vụ tài chính.")
                    t = self._after(t, rng.randint(60, 960))
                    services.financial_fulfilled(actor, code, now=t, note="Đã nộp")
            if target == 8 and step.order == min(3, len(steps)):
                t = self._after(t, rng.randint(60, 600))
                leader = people.get(agency, Role.AGENCY_LEADER)
                services.stop(leader, code, now=t, reason="Cơ quan có thẩm quyền có văn bản tạm dừng giải quyết "
                                                          "do có tranh chấp liên quan.")
                return d
            if stop_at == step.order:
                return d
            factor = (rng.uniform(1.1, 2.2) if late_profile else rng.uniform(0.15, 0.5) if early_profile
                      else rng.uniform(0.4, 1.0))
            t = self._after(t, step.allowance_minutes * factor)
            if late_profile and step.order == 2 and rng.random() < 0.5:
                cur = Dossier.objects.get(code=code)
                if cur.due_at and t > cur.due_at:
                    services.extend(people.get(agency, Role.AGENCY_LEADER), code, now=t,
                                    new_appointment=cal.add_working_minutes(t, 3 * 480),
                                    reason="Hồ sơ cần xác minh thêm tại thực địa nên chưa giải quyết kịp; "
                                           "cơ quan xin lỗi và hẹn lại ngày trả kết quả.")
                    t = self._after(t, 5)
            if step.order < len(steps):
                services.forward(actor, code, now=t, note="Chuyển xử lý")
            else:
                approver = actor if step.role in (Role.UNIT_HEAD, Role.AGENCY_LEADER) else \
                    people.get(agency, Role.AGENCY_LEADER)
                services.approve(approver, code, now=t, note="Đồng ý")
        t = self._after(t, rng.randint(10, 120))
        clerk = people.get(agency, Role.CLERK)
        office_demo.result_ready(clerk, code, now=t, note="Đã có kết quả, chuyển bộ phận một cửa")
        if target == 9:
            return d
        t = self._after(t, rng.randint(30, 3 * 480))
        services.return_result(ro, code, now=t, note="Đã trả kết quả cho người nộp", unpaid_fee_confirmed=True)
        return d

    def run(self, n, progress=None):
        targets = list(LIFECYCLE_WEIGHTS)
        weights = list(LIFECYCLE_WEIGHTS.values())
        plan = targets[:] + self.rng.choices(targets, weights=weights, k=max(0, n - len(targets)))
        plan = plan[:n]
        for target in plan:
            self.one(target)
            self.counts[target] = self.counts.get(target, 0) + 1
            if progress:
                progress(1)
        return self.counts


# =====================================================================================================
# synthetic dossiers in bulk
# =====================================================================================================

STATUS_P = {1: 0.03, 2: 0.04, 3: 0.02, 4: 0.12, 5: 0.03, 6: 0.01, 7: 0.01, 8: 0.01, 9: 0.05, 10: 0.68}
OPEN_RECENT = (1, 2, 4, 5, 6, 9)
SECOND_ACTION = {2: "receive", 3: "refuse", 4: "forward", 5: "request_supplement", 6: "request_financial",
                 7: "withdraw", 8: "stop", 9: "mark_result_ready", 10: "return_result"}
REASONS = {3: "Hồ sơ không đủ điều kiện tiếp nhận.", 5: "Thành phần hồ sơ chưa đầy đủ, đề nghị bổ sung.",
           6: "Đề nghị thực hiện nghĩa vụ tài chính.", 7: "Công dân đề nghị rút hồ sơ.",
           8: "Tạm dừng giải quyết do có tranh chấp liên quan."}
WITH_STEPS = (2, 4, 5, 6)


def _iso_utc(epochs):
    """int64 epoch seconds -> list of ISO strings (UTC)."""
    return np.datetime_as_string(np.asarray(epochs, dtype="datetime64[s]"), timezone="UTC").tolist()


def _next_working(cal, s):
    """Vectorised WorkCalendar.next_working_moment on epoch seconds (rounded up to a minute)."""
    s = -(-np.asarray(s, dtype=np.int64) // 60) * 60
    ps, pe = cal.ps_arr, cal.pe_arr
    i = np.searchsorted(ps, s, side="right") - 1
    inside = s < pe[i]
    j = np.minimum(i + 1, len(ps) - 1)
    return np.where(inside, s, ps[j])


class BulkSeeder:
    def __init__(self, stdout, rng_seed, now, agency_code=None, chunk=20000, quiet=False):
        self.stdout, self.now, self.chunk, self.quiet = stdout, now, chunk, quiet
        self.rng = np.random.default_rng(rng_seed)
        self.cal = calendar_for(None)
        self.pg = connection.vendor == "postgresql"
        self._load(agency_code)

    def _load(self, agency_code):
        people = {}
        for m in Membership.objects.filter(role=Role.RECEIVING_OFFICER).select_related("user", "agency",
                                                                                        "agency__parent"):
            people.setdefault(m.agency.organisation.pk, (m.user_id, m.user.username))
        centre = Agency.objects.filter(kind=AgencyKind.CENTRE).order_by("code").first()
        pairs = []
        target = Agency.objects.filter(code=agency_code).first() if agency_code else None
        if agency_code and target is None:
            raise CommandError(f"Không có cơ quan mã {agency_code}.")
        for proc in Procedure.objects.filter(is_active=True).prefetch_related("agencies", "steps", "fees"):
            agencies = list(proc.agencies.all())
            steps = [(s.order, s.name, s.unit_name, s.role, s.allowance_minutes) for s in proc.steps.all()]
            fee = sum(f.amount for f in proc.fees.all())
            cutoff = proc.cutoff.hour * 3600 + proc.cutoff.minute * 60 if proc.cutoff else -1
            for a in agencies:
                via_centre = target is not None and target.kind == AgencyKind.CENTRE
                if target is not None and not via_centre and a.pk != target.pk:
                    continue
                if via_centre and a.kind != AgencyKind.DEPARTMENT:
                    continue
                intake = target if via_centre else a
                if a.pk not in people or intake.pk not in people:
                    continue
                pairs.append({"proc": proc, "agency": a, "intake": intake, "steps": steps, "fee": fee,
                              "cutoff": cutoff, "minutes": proc.minutes_for(480), "weight": 1.0 / len(agencies),
                              "actor": people[intake.pk], "alt_intake": centre if (
                                  centre and centre.pk in people and a.kind == AgencyKind.DEPARTMENT
                                  and target is None) else None})
        if not pairs:
            raise CommandError("Không có thủ tục nào do cơ quan này giải quyết (hoặc thiếu cán bộ tiếp nhận).")
        self.pairs = pairs
        self.people = people

    # ------------------------------------------------------------------ planning (vectorised)
    def plan(self, n):
        rng, cal, pairs = self.rng, self.cal, self.pairs
        now = int(self.now.timestamp())
        w = np.array([p["weight"] for p in pairs])
        pi = rng.choice(len(pairs), size=n, p=w / w.sum())
        statuses = np.array(list(STATUS_P))
        st = rng.choice(statuses, size=n, p=np.array(list(STATUS_P.values())))
        recent = np.isin(st, OPEN_RECENT)
        age = np.where(recent, rng.uniform(0.02, 30, n), rng.uniform(1, 365, n)) * DAY
        sub = (now - age).astype(np.int64)
        channel = rng.choice([1, 2, 3], size=n, p=[0.35, 0.6, 0.05])
        channel = np.where(np.isin(st, (1, 3)), 2, channel)
        counter = channel != 2
        snapped = _next_working(cal, sub)
        # a counter dossier is submitted at a working moment; one that would fall in the future is online/new
        future = counter & (snapped >= now - 300)
        sub = np.where(counter & ~future, snapped, sub)
        st = np.where(future, 1, st)
        channel = np.where(future, 2, channel)
        counter = channel != 2
        rec = np.where(counter, sub, _next_working(cal, sub + rng.integers(0, 4 * 3600, n)))
        not_yet = (~counter) & (rec >= now - 300) & (st != 3)
        st = np.where(not_yet, 1, st)
        received = ~np.isin(st, (1, 3))
        # clock start, with the procedure's cut-off hour
        cutoff = np.array([p["cutoff"] for p in pairs])[pi]
        tod = (rec + LOCAL_OFFSET) % DAY
        after_cut = (cutoff >= 0) & (tod >= cutoff)
        next_day = rec - tod + DAY
        start = np.where(after_cut, _next_working(cal, next_day), _next_working(cal, rec))
        minutes = np.array([p["minutes"] for p in pairs])[pi]
        start_safe = np.where(received, start, now)
        due = cal.due_batch(start_safe, minutes)
        # end of processing for finished/returned
        factor = np.where(rng.random(n) < 0.85, rng.uniform(0.15, 1.0, n), rng.uniform(1.05, 1.9, n))
        fin = cal.due_batch(start_safe, np.maximum((minutes * factor).astype(np.int64), 1))
        span = np.maximum(now - 600 - rec, 120)
        fin = np.where(fin >= now - 600, rec + (span * rng.uniform(0.3, 0.8, n)).astype(np.int64), fin)
        ret = fin + rng.integers(1800, 5 * DAY, n)
        ret = np.where(ret >= now - 60, fin + ((now - 60 - fin) * 0.9).astype(np.int64), ret)
        mid = rec + (span * rng.uniform(0.05, 0.6, n)).astype(np.int64)  # an act during processing
        closed_refused = sub + rng.integers(600, DAY, n)
        closed_refused = np.where(closed_refused >= now - 60, sub + (np.maximum(now - 60 - sub, 2) // 2),
                                  closed_refused)
        # last event moment per status
        last = np.select([st == 1, st == 2, st == 3, np.isin(st, (4, 5, 6, 7, 8)), st == 9, st == 10],
                         [sub, rec, closed_refused, mid, fin, ret])
        return {"pi": pi, "st": st, "channel": channel, "sub": sub, "rec": rec, "start": start, "due": due,
                "fin": fin, "ret": ret, "mid": mid, "last": last, "received": received,
                "via_centre": rng.random(n) < 0.4, "names": rng.integers(0, 1 << 30, n),
                "step_pick": rng.random(n)}

    def _codes(self, plan):
        """Allocate code sequences from DailyCounter: one upsert per (agency, day) adds the block size, so
        later intakes continue after the block and never collide."""
        pairs = self.pairs
        agency_ids = np.array([p["agency"].pk for p in pairs], dtype=np.int64)[plan["pi"]]
        day = (plan["sub"] + LOCAL_OFFSET) // DAY
        order = np.lexsort((plan["sub"], day, agency_ids))
        key_a, key_d = agency_ids[order], day[order]
        boundary = np.ones(len(order), dtype=bool)
        boundary[1:] = (key_a[1:] != key_a[:-1]) | (key_d[1:] != key_d[:-1])
        starts = np.flatnonzero(boundary)
        counts = np.diff(np.append(starts, len(order)))
        g_agency, g_day = key_a[starts], key_d[starts]
        epoch_day = datetime(1970, 1, 1).date()
        days = [epoch_day + timedelta(days=int(d)) for d in g_day]
        lasts = self._upsert_counters(g_agency.tolist(), days, counts.tolist())
        base = np.array(lasts, dtype=np.int64) - counts
        group_of = np.repeat(np.arange(len(starts)), counts)
        seq_sorted = base[group_of] + (np.arange(len(order)) - starts[group_of]) + 1
        seq = np.empty(len(order), dtype=np.int64)
        seq[order] = seq_sorted
        return seq, days, group_of, order

    def _upsert_counters(self, agency_ids, days, counts):
        table = DailyCounter._meta.db_table
        lasts = []
        with transaction.atomic(), connection.cursor() as cur:
            if self.pg:
                step = 5000
                for i in range(0, len(agency_ids), step):
                    cur.execute(
                        f"WITH v AS (SELECT * FROM unnest(%s::bigint[], %s::date[], %s::int[]) WITH ORDINALITY "
                        f"AS v(agency_id, day, n, ord)), u AS ("
                        f"INSERT INTO {table} (agency_id, day, last) SELECT agency_id, day, n FROM v "
                        f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + EXCLUDED.last "
                        f"RETURNING agency_id, day, last) "
                        f"SELECT u.last FROM v JOIN u USING (agency_id, day) ORDER BY v.ord",
                        [agency_ids[i:i + step], days[i:i + step], counts[i:i + step]])
                    lasts.extend(r[0] for r in cur.fetchall())
            else:
                for a, d, c in zip(agency_ids, days, counts):
                    cur.execute(f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, %s) "
                                f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + %s RETURNING last",
                                [a, d, c, c])
                    lasts.append(cur.fetchone()[0])
        return lasts

    # ------------------------------------------------------------------ rows
    def _names(self, k):
        s, m, g = PV.SURNAMES, PV.MIDDLE, PV.GIVEN
        return f"{s[k % len(s)]} {m[(k >> 5) % len(m)]} {g[(k >> 10) % len(g)]}"

    def run(self, n):
        t_start = _time.monotonic()
        plan = self.plan(n)
        seq, _days, _g, _o = self._codes(plan)
        fmt_day = np.datetime_as_string(((plan["sub"] + LOCAL_OFFSET) // DAY).astype("datetime64[D]")).tolist()
        yymmdd = [d[2:4] + d[5:7] + d[8:10] for d in fmt_day]
        bar = tqdm(total=n, unit="hồ sơ", desc="seed", disable=True if self.quiet else None, file=sys.stderr)
        written = 0
        for lo in range(0, n, self.chunk):
            hi = min(n, lo + self.chunk)
            with transaction.atomic():
                self._write_chunk(plan, seq, yymmdd, lo, hi)
            written += hi - lo
            bar.update(hi - lo)
        bar.close()
        return written, _time.monotonic() - t_start

    def _write_chunk(self, plan, seq, yymmdd, lo, hi):
        pairs = self.pairs
        sl = slice(lo, hi)
        pi, st, ch = plan["pi"][sl].tolist(), plan["st"][sl].tolist(), plan["channel"][sl].tolist()
        received = plan["received"][sl].tolist()
        sub, rec, start, due = plan["sub"][sl], plan["rec"][sl], plan["start"][sl], plan["due"][sl]
        fin, ret, mid, last = plan["fin"][sl], plan["ret"][sl], plan["mid"][sl], plan["last"][sl]
        iso = {k: _iso_utc(v) for k, v in (("sub", sub), ("rec", rec), ("start", start), ("due", due),
                                            ("fin", fin), ("ret", ret), ("mid", mid), ("last", last))}
        due_local_day = ((due + LOCAL_OFFSET) // DAY).tolist()
        fin_local_day = ((fin + LOCAL_OFFSET) // DAY).tolist()
        fin_l, due_l = fin.tolist(), due.tolist()
        via_centre = plan["via_centre"][sl].tolist()
        names = plan["names"][sl].tolist()
        step_pick = plan["step_pick"][sl].tolist()
        seqs = seq[sl].tolist()
        now_iso = _iso_utc([int(self.now.timestamp())])[0]
        code_format = settings.MOTCUA_DOSSIER_CODE_FORMAT
        dossiers, extra = [], []  # extra: (index, status, current step, pair, intake)
        for k in range(hi - lo):
            p = pairs[pi[k]]
            s = st[k]
            agency, intake = p["agency"], p["intake"]
            if via_centre[k] and p["alt_intake"] is not None and ch[k] != 2:
                intake = p["alt_intake"]
            code = code_format.format(agency=agency.code, yymmdd=yymmdd[lo + k], seq=seqs[k])
            got = received[k]
            steps = p["steps"]
            nsteps = len(steps)
            cur_step, cur_role = 0, ""
            if got and nsteps:
                if s == 2 or s == 7:
                    cur_step = 1
                elif s == 4:
                    cur_step = 2 + int(step_pick[k] * (nsteps - 1)) if nsteps > 1 else 1
                    cur_step = min(cur_step, nsteps)
                elif s in (5, 6, 8):
                    cur_step = min(2, nsteps)
                else:
                    cur_step = nsteps
                cur_role = steps[cur_step - 1][3]
            timing = ""
            if s in (9, 10):
                timing = "early" if fin_local_day[k] < due_local_day[k] else (
                    "on_time" if fin_l[k] <= due_l[k] else "late")
            nm = names[k]
            if p["proc"].field_id and nm % 9 == 0 and p["fee"] > 500000:
                applicant, kind = PV.COMPANIES[nm % len(PV.COMPANIES)], "organisation"
            else:
                applicant, kind = self._names(nm), "citizen"
            phone = f"09{nm % 100000000:08d}"
            closed = iso["last"][k] if s in (3, 7, 8, 10) else None
            row = {
                "code": code, "procedure_id": p["proc"].pk, "agency_id": agency.pk, "intake_agency_id": intake.pk,
                "agency_path": agency.path, "intake_path": intake.path, "channel": ch[k], "status": s,
                "version": 2 if s != 1 else 1, "applicant_kind": kind, "applicant_name": applicant,
                "applicant_id_number": f"017{nm % 1000000000:09d}", "applicant_address": "tỉnh Hòa Bình Demo",
                "applicant_phone": phone, "applicant_email": "", "request": p["proc"].name[:200], "sets_count": 1,
                "owner_id": None, "lookup_secret": phone[-4:], "submitted_at": iso["sub"][k],
                "received_at": iso["rec"][k] if got else None, "clock_start": iso["start"][k] if got else None,
                "due_at": iso["due"][k] if got else None, "appointment_at": iso["due"][k] if got else None,
                "statutory_minutes": p["minutes"] if got else 0,
                "paused_since": iso["mid"][k] if s in (5, 6) else None,
                "supplement_requests": 1 if s == 5 else 0,
                "approved_at": iso["fin"][k] if s in (9, 10) else None,
                "finished_at": iso["fin"][k] if s in (9, 10) else (iso["mid"][k] if s == 8 else None),
                "returned_at": iso["ret"][k] if s == 10 else None, "closed_at": closed, "timing": timing,
                "current_step": cur_step, "current_role": cur_role,
                "status_before_pause": 4 if s in (5, 6) else None, "fee_total": p["fee"],
                "return_place": intake.name, "result_delivery": ResultDelivery.COUNTER.value, "delivery_address": "",
                "created_at": now_iso, "updated_at": now_iso,
            }
            dossiers.append(row)
            extra.append((k, s, cur_step, p, intake))
        ids = self._insert_dossiers(dossiers)
        events, steps_rows, pauses = [], [], []
        for (k, s, cur_step, p, intake), row, did in zip(extra, dossiers, ids):
            actor_id, actor_name = self.people[intake.pk]
            code = row["code"]
            sub_at = row["submitted_at"]
            data1 = {"channel": row["channel"], "procedure": p["proc"].code, "agency": p["agency"].code,
                     "intake_agency": intake.code, "synthetic": True}
            state = _state_hash(row)
            h1 = history.chain_hash(history.GENESIS, history.content_of(
                code, 1, _dt(sub_at), actor_id, actor_name, "submit", "", None, 1, data1, state))
            events.append((did, 1, sub_at, actor_id, actor_name, "submit", "", None, 1, data1, history.GENESIS, h1,
                           state, history.SCHEME))
            if s != 1:
                at = iso["last"][k]
                before = {3: 1, 2: 1, 4: 2, 5: 4, 6: 4, 7: 2, 8: 4, 9: 4, 10: 9}[s]
                reason = REASONS.get(s, "")
                data2 = {"synthetic": True}
                if s == 2:
                    data2.update(received_at=row["received_at"], due_at=row["due_at"])
                h2 = history.chain_hash(h1, history.content_of(code, 2, _dt(at), actor_id, actor_name,
                                                               SECOND_ACTION[s], reason, before, s, data2, state))
                events.append((did, 2, at, actor_id, actor_name, SECOND_ACTION[s], reason, before, s, data2, h1, h2,
                               state, history.SCHEME))
            if s in WITH_STEPS and cur_step:
                for order, name, unit, role, allowance in p["steps"]:
                    if order < cur_step:
                        steps_rows.append((did, order, name, unit, role, allowance, row["clock_start"], None,
                                           iso["mid"][k], None, actor_name, "forwarded", "on_time", 1))
                    elif order == cur_step:
                        started = row["clock_start"] if order == 1 else iso["mid"][k]
                        steps_rows.append((did, order, name, unit, role, allowance, started, None, None, None, "",
                                           "", "", 1))
                    else:
                        steps_rows.append((did, order, name, unit, role, allowance, None, None, None, None, "",
                                           "", "", 0))
            if s in (5, 6):
                pauses.append((did, PauseKind.SUPPLEMENT if s == 5 else PauseKind.FINANCIAL, row["paused_since"],
                               None, REASONS[s], json.dumps(["Giấy tờ còn thiếu"] if s == 5 else [],
                                                            ensure_ascii=False)))
        self._insert_rest(events, steps_rows, pauses)

    # ------------------------------------------------------------------ writers
    def _insert_dossiers(self, rows):
        cols = list(rows[0])
        if self.pg:
            table = Dossier._meta.db_table
            with connection.cursor() as cur:
                cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                            [table, len(rows)])
                ids = [r[0] for r in cur.fetchall()]
            raw = connection.connection
            with raw.cursor() as cur:
                qcols = ", ".join(f'"{c}"' for c in cols)
                with cur.copy(f"COPY {table} (id, {qcols}) FROM STDIN") as cp:
                    for i, r in zip(ids, rows):
                        cp.write_row((i, *r.values()))
            return ids
        objs = [Dossier(**{c: (_dt(v) if c in _DT_COLS and v else v) for c, v in r.items()}) for r in rows]
        created = Dossier.objects.bulk_create(objs, batch_size=500)
        return [o.pk for o in created]

    def _insert_rest(self, events, steps_rows, pauses):
        ev_cols = ["dossier_id", "seq", "at", "actor_id", "actor_name", "action", "reason", "status_before",
                   "status_after", "data", "prev_hash", "hash", "state_hash", "scheme"]
        st_cols = ["dossier_id", "order", "name", "unit_name", "role", "allowance_minutes", "started_at", "due_at",
                   "finished_at", "handled_by_id", "handled_by_name", "outcome", "timing", "rounds"]
        pa_cols = ["dossier_id", "kind", "started_at", "ended_at", "reason", "components"]
        if self.pg:
            raw = connection.connection
            with raw.cursor() as cur:
                for model, cols, rows, json_col in ((HistoryEvent, ev_cols, events, 9),
                                                    (DossierStep, st_cols, steps_rows, None),
                                                    (Pause, pa_cols, pauses, None)):
                    if not rows:
                        continue
                    qcols = ", ".join(f'"{c}"' for c in cols)
                    with cur.copy(f"COPY {model._meta.db_table} ({qcols}) FROM STDIN") as cp:
                        for r in rows:
                            if json_col is not None:
                                r = (*r[:json_col], json.dumps(r[json_col], ensure_ascii=False), *r[json_col + 1:])
                            cp.write_row(r)
            return
        HistoryEvent.objects.bulk_create([HistoryEvent(**dict(zip(ev_cols, (*r[:2], _dt(r[2]), *r[3:]))))
                                          for r in events], batch_size=500)
        DossierStep.objects.bulk_create([DossierStep(**{c: (_dt(v) if c in ("started_at", "due_at", "finished_at")
                                                            and v else v) for c, v in zip(st_cols, r)})
                                         for r in steps_rows], batch_size=500)
        Pause.objects.bulk_create([Pause(**{c: (_dt(v) if c == "started_at" else
                                                json.loads(v) if c == "components" else v)
                                            for c, v in zip(pa_cols, r)}) for r in pauses], batch_size=500)


_DT_COLS = {"submitted_at", "received_at", "clock_start", "due_at", "appointment_at", "paused_since", "approved_at",
            "finished_at", "returned_at", "closed_at", "created_at", "updated_at"}


def _dt(iso):
    return datetime.fromisoformat(iso) if isinstance(iso, str) else iso


def _state_hash(row):
    """The history's state digest of a synthetic dossier row (as history.state_of gives for the stored row)."""
    return history.state_digest({name: (history._ts(_dt(row[name])) if name in _DT_COLS and row[name]
                                        else row[name]) for name in history.STATE_FIELDS})


# =====================================================================================================
# the command
# =====================================================================================================

class Command(BaseCommand):
    help = _help()

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=None,
                            help="add N synthetic dossiers in bulk (benchmarks); runs the base seed first if needed")
        parser.add_argument("--agency", default=None,
                            help="with --dossiers: only this competent agency (or, for the centre code, dossiers "
                                 "received at the centre)")
        parser.add_argument("--lifecycle", type=int, default=1000,
                            help="dossiers the base seed creates through the services (default 1000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument("--now", default=None, help="reference moment (ISO 8601); default: the current time")
        parser.add_argument("--chunk", type=int, default=20000, help="rows per bulk chunk (default 20000)")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **opts):
        now = datetime.fromisoformat(opts["now"]) if opts["now"] else timezone.now()
        if timezone.is_naive(now):
            now = now.replace(tzinfo=TZ)
        root = Agency.objects.filter(code=PV.PROVINCE["code"], kind=AgencyKind.PROVINCE).first()
        if root is None:
            if Agency.objects.exists():
                raise CommandError(
                    "Cơ sở dữ liệu đã có cơ quan không thuộc tỉnh demo: không tạo dữ liệu mẫu để tránh trộn lẫn. "
                    "Dùng một cơ sở dữ liệu trống (DATABASE_URL) cho dữ liệu mẫu.")
            self.base(now, opts)
        elif opts["dossiers"] is None:
            self.stdout.write(f"Tỉnh demo ({root.name}) đã có: không tạo lại (seed chỉ chạy một lần).")
        if opts["dossiers"]:
            seeder = BulkSeeder(self.stdout, opts["seed"] + 1 + Dossier.objects.count(), now, opts["agency"],
                                opts["chunk"], opts["quiet"])
            written, secs = seeder.run(opts["dossiers"])
            self.stdout.write(f"Đã tạo {written} hồ sơ tổng hợp trong {secs:.1f} s "
                              f"({written / max(secs, 1e-9):,.0f} hồ sơ/s).")

    def base(self, now, opts):
        t0 = _time.monotonic()
        rng = random.Random(opts["seed"])
        with transaction.atomic():
            tree = build_province()
            procs = build_catalog(tree)
            users = build_staff(tree)
        n_agencies = Agency.objects.count()
        self.stdout.write(f"Cơ quan: {n_agencies} ({len(tree['departments'])} sở, ban, ngành; "
                          f"{len(tree['districts'])} huyện; {len(tree['communes'])} xã); thủ tục: {len(procs)}; "
                          f"tài khoản: {users}")
        n = opts["lifecycle"]
        if n:
            bar = tqdm(total=n, unit="hồ sơ", desc="hồ sơ mẫu", disable=True if opts["quiet"] else None,
                       file=sys.stderr)
            with transaction.atomic():
                counts = LifecycleSeeder(rng, now, tree).run(n, bar.update)
            bar.close()
            self.stdout.write("Hồ sơ theo trạng thái: " + ", ".join(
                f"{s}:{counts.get(s, 0)}" for s in sorted(Status.values)))
        # From now on, fully online procedures return an electronic result: it must be signed (the dossiers
        # above are the province's past, processed before that rule).
        Procedure.objects.filter(online_level="full").update(signed_result_required=True)
        self.stdout.write(f"Xong dữ liệu mẫu trong {_time.monotonic() - t0:.1f} s. Mật khẩu mọi tài khoản: "
                          f"{PV.PASSWORD!r} (admin, sxd.tiepnhan, sxd.chuyenvien, ... xem `motcua seed --help`).")
