"""Demo dossiers made through the services (`motcua seed`): every status, real codes, steps, pauses and
hash-chained histories."""
from datetime import timedelta

from django.contrib.auth import get_user_model

from motcua.agencies import demodata as PV
from motcua.agencies.calendar import calendar_for
from motcua.agencies.models import AgencyKind, Membership, Role
from motcua.agencies.scope import actor_for
from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.codes import TZ
from motcua.dossiers.models import Dossier


# target status -> weight (how many dossiers end in that status)
RESULT_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
              b"trailer<</Root 1 0 R>>\n%%EOF\n")


def result_ready(actor, code, *, now, note=""):
    """Attach the demo result file, then mark the result ready (two acts, as an officer does them:
    mark_result_ready refuses a dossier without a result file)."""
    services.attach(actor, code, kind="result", filename="ket-qua-giai-quyet.pdf", content=RESULT_PDF, now=now)
    return services.mark_result_ready(actor, code, now=now, note=note)


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
        rng = self.rng
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
        result_ready(clerk, code, now=t, note="Đã có kết quả, chuyển bộ phận một cửa")
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
