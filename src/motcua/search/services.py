"""The one indexing service and the search itself.

- `index(obj)` writes (or removes) the index row of one object; `index_later(obj)` does it after the
  current transaction commits (the signals in signals.py call it for every save of a watched model).
  Indexing never fails the act that triggered it: an error is logged and `motcua search-reindex` repairs.
- `reindex()` rebuilds every row (in bulk, COPY on PostgreSQL).
- `search(actor, q, ...)` answers only rows in the officer's scope: a dossier's competent agency or intake
  place under one of the actor's organisations (agencies.scope), secret documents only for the leaders
  and clerks (văn thư) of an organisation above them. Words match accent-insensitively and whole; a
  chunk with punctuation (a dossier code, "15/QĐ-SXD") matches as a phrase. Newest first.
"""
import logging
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Role
from motcua.core.errors import NotAllowed, ValidationFailed

from . import text as T
from .kinds import kinds, kind_of
from .models import SearchEntry

log = logging.getLogger(__name__)
MAX_QUERY = 200          # characters
MAX_WORDS = 24
MAX_PAGE_SIZE = 100
SECRET_ROLES = (Role.AGENCY_LEADER, Role.CLERK)
SNIPPET = 160            # characters around the first match


# ---------------------------------------------------------------- indexing
def _row(kind_name, entry, obj_id, now):
    return SearchEntry(kind=kind_name, object_id=obj_id, agency_path=entry.agency_path,
                       intake_path=entry.intake_path, secret=entry.secret, title=T.nfc(entry.title)[:500],
                       url=entry.url[:300], text=T.nfc(entry.text), body=T.body(entry.text), indexed_at=now)


FIELDS = ["agency_path", "intake_path", "secret", "title", "url", "text", "body", "indexed_at"]


def index(obj, kind_name=None):
    """Write the index row of `obj` now (remove it when the kind no longer indexes the object)."""
    kind_name = kind_name or kind_of(obj)
    if kind_name is None:
        return None
    kind = kinds.get(kind_name)
    fresh = kind.queryset().filter(pk=obj.pk).first()
    entry = kind.entry(fresh) if fresh is not None else None
    if entry is None:
        SearchEntry.objects.filter(kind=kind_name, object_id=obj.pk).delete()
        return None
    row = _row(kind_name, entry, obj.pk, timezone.now())
    values = {f: getattr(row, f) for f in FIELDS}
    with transaction.atomic():
        saved, _created = SearchEntry.objects.update_or_create(kind=kind_name, object_id=obj.pk, defaults=values)
    return saved


def remove(kind_name, object_id):
    SearchEntry.objects.filter(kind=kind_name, object_id=object_id).delete()


def _safe(fn, *args):
    try:
        fn(*args)
    except Exception:    # derived data: the act has committed; search-reindex repairs
        log.exception("search: indexing failed for %s", args)


def index_later(obj, kind_name=None, *, with_components=False):
    """Index `obj` once the current transaction commits (now when there is none); a dossier's components
    too with `with_components` (they are written in bulk, after the dossier row)."""
    kind_name = kind_name or kind_of(obj)
    if kind_name is None:
        return

    def run():
        index(obj, kind_name)
        if with_components:
            for component in obj.components.all():
                index(component, "component")
    transaction.on_commit(lambda: _safe(run))


def remove_later(kind_name, object_id):
    transaction.on_commit(lambda: _safe(remove, kind_name, object_id))


def reindex(only=None, *, new=False, batch=5000, progress=None):
    """Rebuild the index rows of every kind (or of the kinds in `only`). With `new`, keep the rows and add
    only objects newer (higher id) than the newest indexed one: after a bulk load. Returns {kind: rows}."""
    done = {}
    for name, _cls in sorted(kinds):
        if only and name not in only:
            continue
        kind = kinds.get(name)
        last = 0
        if new:
            last = SearchEntry.objects.filter(kind=name).order_by("-object_id").values_list(
                "object_id", flat=True).first() or 0
        else:
            SearchEntry.objects.filter(kind=name).delete()
        n = 0
        now = timezone.now()
        qs = kind.queryset().order_by("pk")
        while True:
            objs = list(qs.filter(pk__gt=last)[:batch])
            if not objs:
                break
            rows = [_row(name, e, o.pk, now) for o in objs if (e := kind.entry(o)) is not None]
            _bulk_insert(rows)
            n += len(rows)
            last = objs[-1].pk
            if progress:
                progress(name, len(objs))
        done[name] = n
    return done


def _bulk_insert(rows):
    if not rows:
        return
    if connection.vendor != "postgresql":
        SearchEntry.objects.bulk_create(rows, batch_size=500)
        return
    cols = ["kind", "object_id", *FIELDS]
    with transaction.atomic(), connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {SearchEntry._meta.db_table} ({', '.join(cols)}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row([getattr(r, c) for c in cols])


# ---------------------------------------------------------------- the query
def parse(q):
    """The query's chunks, each a list of words (a chunk of several words is a phrase). Refuses a query
    too long; anything else (quotes, *, NEAR, -, brackets ...) is only a separator."""
    q = T.nfc(q or "").strip()
    if len(q) > MAX_QUERY:
        raise ValidationFailed(_("Từ khoá tìm kiếm quá dài (tối đa %(n)s ký tự).") % {"n": MAX_QUERY},
                               code="query_too_long", details={"max_length": MAX_QUERY})
    chunks = [ws for chunk in T.fold(q).split() if (ws := T.WORD.findall(chunk))]
    if sum(len(c) for c in chunks) > MAX_WORDS:
        raise ValidationFailed(_("Từ khoá tìm kiếm có quá nhiều từ (tối đa %(n)s từ).") % {"n": MAX_WORDS},
                               code="query_too_long", details={"max_words": MAX_WORDS})
    return chunks


def _match(chunks):
    """(SQL, params) selecting the rows whose body holds every chunk, for this database."""
    table = SearchEntry._meta.db_table
    if connection.vendor == "postgresql":
        tsq = " & ".join("(" + " <-> ".join(f"'{w}'" for w in c) + ")" for c in chunks)
        return f"to_tsvector('simple'::regconfig, \"{table}\".\"body\") @@ to_tsquery('simple'::regconfig, %s)", [tsq]
    if connection.vendor == "sqlite":
        fts = " AND ".join('"' + " ".join(c) + '"' for c in chunks)
        return f"\"{table}\".\"id\" IN (SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s)", [fts]
    return " AND ".join(f"(' ' || \"{table}\".\"body\" || ' ') LIKE %s" for _c in chunks), \
        ["% " + " ".join(c) + " %" for c in chunks]


def scope_q(actor):
    """Rows the actor may see: in scope, and not secret unless they lead or keep the records (văn thư) of
    an organisation above the document."""
    secret_ok = Q(pk__in=[])
    for path in sorted({p for r, p in actor.roles if r in SECRET_ROLES}):
        secret_ok |= Q(agency_path__startswith=path)
    return actor.scope_q("agency_path", "intake_path") & (Q(secret=False) | secret_ok)


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    url: str
    snippet: str
    highlights: list      # [start, end) offsets of matched words in `snippet`


@dataclass
class Results:
    query: str
    counts: dict = field(default_factory=dict)      # kind -> number of rows in scope that match
    total: int = 0
    kind: str | None = None
    page: int = 1
    page_size: int = 20
    hits: list = field(default_factory=list)        # one page (of `kind`, or the first of every kind)

    @property
    def pages(self):
        n = self.counts.get(self.kind, 0) if self.kind else max(self.counts.values(), default=0)
        return max(1, -(-n // self.page_size))


def _positive(value, name, default, maximum=None):
    if value in (None, ""):
        return default
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = 0
    if n < 1 or (maximum and n > maximum):
        raise ValidationFailed(_("Tham số %(name)s không hợp lệ.") % {"name": name}, code="invalid_parameter",
                               details={"field": name})
    return n


def search(actor, q, *, kind=None, page=None, page_size=None):
    """Search what `actor` may see. Without `kind`, the first `page_size` hits of every kind."""
    if not actor.is_staff_member:
        raise NotAllowed(_("Chỉ cán bộ được tìm kiếm hồ sơ, văn bản."), code="role_required")
    if kind not in (None, "") and kind not in kinds:
        raise ValidationFailed(_("Loại kết quả không hợp lệ."), code="invalid_parameter",
                               details={"field": "kind", "allowed": sorted(k for k, _c in kinds)})
    kind = kind or None
    page = _positive(page, "page", 1)
    page_size = _positive(page_size, "page_size", 20 if kind else 5, MAX_PAGE_SIZE)
    chunks = parse(q)
    res = Results(query=T.nfc(q or "").strip(), kind=kind, page=page, page_size=page_size)
    if not chunks:
        return res
    sql, params = _match(chunks)
    qs = SearchEntry.objects.filter(scope_q(actor)).extra(where=[sql], params=params)
    res.counts = {k: n for k, n in qs.order_by().values_list("kind").annotate(n=Count("id"))}
    res.total = sum(res.counts.values())
    words = {w for c in chunks for w in c}
    order = {name: cls.order for name, cls in kinds}
    wanted = [kind] if kind else sorted(res.counts, key=lambda k: order.get(k, 100))
    off = (page - 1) * page_size
    for k in wanted:
        rows = qs.filter(kind=k).order_by("-id").only("kind", "object_id", "title", "url", "text")[off:off + page_size]
        res.hits.extend(Hit(r.kind, r.object_id, r.title, r.url, *snippet(r.text, words)) for r in rows)
    return res


def snippet(text, words, width=SNIPPET):
    """A window of `text` around the first matched word and the matched words' offsets in it."""
    text = T.nfc(text)
    folded = T.fold(text)
    spans = [m.span() for m in T.WORD.finditer(folded) if m.group() in words]
    start = 0
    if spans:
        start = max(0, spans[0][0] - width // 3)
        if start:
            space = text.rfind(" ", 0, start + 1)
            start = space + 1 if space >= 0 and start - space < 20 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.find(" ", end)
        end = space if 0 <= space < end + 20 else end
    window = " ".join(text[start:end].split("\n"))
    marks = [[a - start, b - start] for a, b in spans if a >= start and b <= end]
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return prefix + window + suffix, [[a + len(prefix), b + len(prefix)] for a, b in marks]
