"""Demo data of the data store, and the closing note's figure "share of components reused after a second
filing".

`seed_demo(tree, now, rng)` (the app's demo data, run by `motcua seed`): gives the demo catalogue its result codes
(MaKetQuaChinh = "KQ.<procedure code>") and the paper / replacing result codes of the components that real
papers satisfy, then files, through the services, a first building-permit dossier (1.009974) for a few
demo citizens: counter intake, the officer's scans of the land-use paper and the drawings, the process to
"Đã xử lý xong" with the scanned paper result. The scans and results are filed in the store as
`scanned` (the demo seed holds no signing key: they are not certified).

`reuse_share(...)` (command `motcua datastore-reuse-figure`) then files a second time for the same people
(1.009977 adjusting the permit, 1.012885 which asks for the land-use paper), offers what the store holds for
each component at the counter, links every offer, and returns the share of components reused."""
from django.db import transaction
from django.utils import timezone

from motcua.agencies.models import Role
from motcua.agencies.scope import actor_for
from motcua.catalog.models import Component, Procedure
from motcua.dossiers import services as dossiers

from . import services
from .models import Source

# component name -> paper code (mã giấy tờ) in the demo catalogue
PAPER_CODES = {"Giấy tờ hợp pháp về quyền sử dụng đất": "GT.QSDD", "Giấy tờ về quyền sử dụng đất": "GT.QSDD",
               "Bản vẽ thiết kế xây dựng": "GT.BVTK"}
# component name -> result code of the earlier procedure whose result replaces it
REPLACED_BY_RESULT = {"Bản chính giấy phép xây dựng đã cấp": "KQ.1.009974"}
FIRST, SECOND = "1.009974", ("1.009977", "1.012885")
AGENCY = "sxd"


def _pdf(text):
    body = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def set_codes():
    """Result codes for every procedure, paper / replacing result codes for the components that have one."""
    for p in Procedure.objects.filter(result_code=""):
        Procedure.objects.filter(pk=p.pk).update(result_code=f"KQ.{p.code}")
    for name, code in PAPER_CODES.items():
        Component.objects.filter(name=name).update(paper_code=code)
    for name, code in REPLACED_BY_RESULT.items():
        Component.objects.filter(name=name).update(result_code=code)


def _actors(slug):
    from django.contrib.auth import get_user_model
    users = get_user_model().objects
    return {role: actor_for(users.get(username=f"{slug}.{suffix}")) for role, suffix in
            (("receiver", "tiepnhan"), ("specialist", "chuyenvien"), ("head", "truongphong"),
             ("leader", "lanhdao"), ("clerk", "vanthu"))}


def person(i):
    """A valid CCCD (Hòa Bình 017, born 1985) and a name for demo person i."""
    return f"017085{i:06d}", f"Công dân Kho {i:03d}"


def _intake(actors, proc_code, i, now):
    number, name = person(i)
    proc = Procedure.objects.get(code=proc_code)
    comps = [{"component_id": c.pk, "provided": True} for c in proc.components.all()]
    d, _ = dossiers.intake(actors["receiver"], {
        "procedure": proc_code, "channel": 1, "applicant_name": name, "applicant_id_number": number,
        "applicant_phone": f"09{i:08d}", "request": proc.name, "components": comps}, now=now)
    return d


def _finish(actors, code, now):
    """Forward through the steps, approve, attach the (scanned, paper) result, mark it ready (an hour apart)."""
    from datetime import timedelta
    step = iter(range(1, 100))

    def t():
        return now + timedelta(hours=next(step))
    by_role = {Role.RECEIVING_OFFICER: "receiver", Role.SPECIALIST: "specialist", Role.UNIT_HEAD: "head",
               Role.AGENCY_LEADER: "leader"}
    for _i in range(10):
        d = dossiers.get_for(actors["leader"], code)
        last = not d.steps.filter(order__gt=d.current_step).exists()
        if last:
            break
        dossiers.forward(actors[by_role.get(d.current_role, "leader")], code, now=t())
    dossiers.approve(actors["leader"], code, now=t())
    at = t()
    result = dossiers.attach(actors["clerk"], code, kind="result", filename="ket-qua.pdf",
                             content=_pdf(f"KET QUA {code}"), now=at)
    services.file_document(actors["clerk"], result, source=Source.SCANNED, now=at)
    dossiers.mark_result_ready(actors["clerk"], code, now=t())


def first_filing(i, now=None, slug=AGENCY):
    """Counter intake of 1.009974 for person i at `now`, scans filed, finished within the next hours."""
    actors = _actors(slug)
    now = now or timezone.now()
    with transaction.atomic():
        d = _intake(actors, FIRST, i, now)
        for dc in d.components.select_related("component"):
            if dc.component and dc.component.paper_code:
                att = dossiers.attach(actors["receiver"], d.code, kind="component", component_id=dc.pk,
                                      filename=f"scan-{dc.pk}.pdf", content=_pdf(f"BAN QUET {dc.name}"),
                                      digitised=True, now=now)
                services.file_document(actors["receiver"], att, source=Source.SCANNED, dossier_component=dc,
                                       now=now)
        _finish(actors, d.code, now)
    return d


def seed_demo(tree=None, now=None, rng=None, people=5):
    """The demo province's data store: codes on the catalogue and `people` first filings (see above), on the
    working mornings of the fortnight before `now`."""
    from datetime import timedelta

    from motcua.worktime import TZ
    if not Procedure.objects.filter(code=FIRST).exists():
        return ""
    set_codes()
    day = (now or timezone.now()).astimezone(TZ).replace(hour=8, minute=0, second=0, microsecond=0)
    for i in range(1, people + 1):
        when = day - timedelta(days=14 - i)
        while when.weekday() >= 5:
            when -= timedelta(days=1)
        first_filing(i, now=when)
    return f"{people} công dân có giấy tờ số hóa trong kho dữ liệu (thủ tục {FIRST})"


def reuse_share(people=20, start=1000, slug=AGENCY):
    """File twice for `people` new demo citizens; returns (reused components, components of the second
    filings, per-procedure breakdown)."""
    set_codes()
    actors = _actors(slug)
    reused = total = 0
    by_proc = {}
    for i in range(start, start + people):
        first_filing(i, slug=slug)
        number, name = person(i)
        for code in SECOND:
            proc = Procedure.objects.get(code=code)
            offers = services.offers_at_counter(actors["receiver"], proc, number, name)
            with transaction.atomic():
                d = _intake(actors, code, i, timezone.now())
                chosen = [(dc.pk, offers[dc.component_id][0].pk) for dc in d.components.all()
                          if dc.component_id in offers]
                services.reuse_all(actors["receiver"], d.code, chosen)
            n = d.components.count()
            reused += len(chosen)
            total += n
            got = by_proc.setdefault(code, [0, 0])
            got[0] += len(chosen)
            got[1] += n
    return reused, total, by_proc

