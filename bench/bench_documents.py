#!/usr/bin/env python
"""Documents numbered per second under concurrent issuing (0 gaps, 0 duplicates expected), and edXML envelopes
built and parsed per second; the archive export (BagIt, PDF/A copies) of a file of documents.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_docs \
        .venv/bin/python bench/bench_documents.py [--documents 400] [--threads 8] [--envelopes 2000]

Migrates the database, creates its own agency (code BENCH.DOCS) and staff if missing, approves --documents
drafts, then --threads threads issue them at once; prints numbers/s, gaps and duplicates. Needs PostgreSQL
for real concurrency (SQLite serialises writers). Every loop is bounded; nothing leaves the machine.
"""
import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_worklist import django_setup, sh  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=400)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--envelopes", type=int, default=2000)
    ap.add_argument("--archive-docs", type=int, default=5)
    args = ap.parse_args()
    sh("migrate", "--noinput")
    django_setup()
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.utils import timezone

    from motcua.agencies.models import Agency, AgencyKind, Membership, Role
    from motcua.agencies.scope import actor_for
    from motcua.documents import edxml, services
    from motcua.documents.models import OutgoingDocument, Register

    org, _ = Agency.objects.get_or_create(code="BENCH.DOCS", defaults={"name": "Cơ quan đo", "symbol": "BENCH",
                                                                       "kind": AgencyKind.DEPARTMENT})
    User = get_user_model()
    actors = {}
    for role in (Role.SPECIALIST, Role.AGENCY_LEADER, Role.CLERK):
        user, _ = User.objects.get_or_create(username=f"bench-docs-{role}")
        Membership.objects.get_or_create(user=user, agency=org, role=role)
        actors[role] = actor_for(user)
    from motcua.documents.models import ArchivePackage, DocumentEvent, DocumentFile
    ArchivePackage.objects.filter(agency=org).delete()
    DocumentEvent.objects.filter(outgoing__agency=org).delete()     # the bench's own rows only
    DocumentEvent.objects.filter(file__agency=org).delete()
    DocumentFile.objects.filter(agency=org).delete()
    OutgoingDocument.objects.filter(agency=org).delete()
    Register.objects.filter(agency=org).delete()
    ids = []
    for i in range(args.documents):
        d = services.create_draft(actors[Role.SPECIALIST], org.code, type_name="Quyết định", subject=f"Đo {i}",
                                  secrecy="thuong")
        services.review(actors[Role.AGENCY_LEADER], d.pk)
        services.approve(actors[Role.AGENCY_LEADER], d.pk)
        ids.append(d.pk)
    chunks = [ids[i::args.threads] for i in range(args.threads)]
    barrier = threading.Barrier(args.threads)
    errors = []

    def run(chunk):
        try:
            barrier.wait()
            for pk in chunk:
                services.issue(actors[Role.CLERK], pk)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in chunks]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    elapsed = time.perf_counter() - t0
    numbers = sorted(OutgoingDocument.objects.filter(agency=org).values_list("number", flat=True))
    issued = [n for n in numbers if n is not None]
    gaps = len(set(range(1, (max(issued) if issued else 0) + 1)) - set(issued))
    dups = len(issued) - len(set(issued))
    print(f"numbering: {len(issued)} documents by {args.threads} threads in {elapsed:.2f} s = "
          f"{len(issued) / elapsed:.0f}/s; gaps {gaps}, duplicates {dups}, errors {len(errors)}")

    env = edxml.Envelope(sender=edxml.Organ("000.00.17.H13", "Sở Xây dựng"), recipients=[edxml.Organ("000.00.18.H13")],
                         code_number="15", code_notation="QĐ-SXD", promulgation_date=timezone.localdate(),
                         subject="Về việc đo tốc độ", attachments=[edxml.Attachment("vb.pdf", b"%PDF" * 25_000)])
    t0 = time.perf_counter()
    for _ in range(args.envelopes):
        edxml.parse(edxml.build(env))
    elapsed = time.perf_counter() - t0
    print(f"edXML: {args.envelopes} envelopes (100 kB attachment) built and parsed in {elapsed:.2f} s = "
          f"{args.envelopes / elapsed:.0f}/s")

    # the archive: a closed file of --archive-docs documents (each a PDF made by WeasyPrint: the register of
    # the agency), exported as a BagIt package with PDF/A-2b copies (ocrmypdf), then validated again
    import tempfile

    from motcua.documents import archive, registers
    pdf = registers.registers_pdf(actors[Role.CLERK], org.code, timezone.now().year)
    f = services.create_file(actors[Role.CLERK], org.code, notation=f"BENCH{int(time.time()) % 100000}",
                             title="Hồ sơ đo")
    docs = []
    for i in range(args.archive_docs):
        d = services.create_draft(actors[Role.SPECIALIST], org.code, type_name="Báo cáo", subject=f"Lưu {i}",
                                  secrecy="thuong", pdf_bytes=pdf)
        services.review(actors[Role.AGENCY_LEADER], d.pk)
        services.approve(actors[Role.AGENCY_LEADER], d.pk)
        docs.append(services.issue(actors[Role.CLERK], d.pk).pk)
    services.file_documents(actors[Role.CLERK], f.pk, outgoing_ids=docs)
    services.close_file(actors[Role.CLERK], f.pk)
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        package = archive.export_file(actors[Role.CLERK], f.pk, dest=out)
        exported = time.perf_counter() - t0
        t0 = time.perf_counter()
        meta = archive.validate_package(package.path)
        validated = time.perf_counter() - t0
    pdfa = sum(d["PdfA"] == "true" for d in meta["documents"])
    print(f"archive: a file of {args.archive_docs} documents ({len(pdf) // 1024} kB PDF each) exported in "
          f"{exported:.2f} s ({pdfa} PDF/A copies), validated in {validated:.2f} s")
    return 1 if gaps or dups or errors else 0


if __name__ == "__main__":
    sys.exit(main())
