"""The officer's search page /can-bo/tim-kiem/ (thin: services.search decides what is shown)."""
from django.shortcuts import render
from django.urls import path
from django.utils.html import escape
from django.utils.safestring import mark_safe

from motcua.core.errors import ValidationFailed
from motcua.portal.web import staff_required

from . import services
from .kinds import kinds

app_name = "search_office"


def marked(snippet, highlights):
    """The snippet as HTML, every matched word in <mark> (the text itself escaped)."""
    out, at = [], 0
    for a, b in highlights:
        out.append(escape(snippet[at:a]))
        out.append(f"<mark>{escape(snippet[a:b])}</mark>")
        at = b
    out.append(escape(snippet[at:]))
    return mark_safe("".join(out))


@staff_required
def search_page(request):
    q = request.GET.get("q", "")
    kind = request.GET.get("loai") or None
    error, res = None, None
    try:
        res = services.search(request.actor, q, kind=kind, page=request.GET.get("trang"))
    except ValidationFailed as exc:
        error = exc
    groups = []
    if res is not None:
        labels = {name: cls.label for name, cls in kinds}
        for name in ([res.kind] if res.kind else [k for k in dict.fromkeys(h.kind for h in res.hits)]):
            hits = [{"title": h.title, "url": h.url, "snippet": marked(h.snippet, h.highlights)}
                    for h in res.hits if h.kind == name]
            groups.append({"kind": name, "label": labels.get(name, name), "count": res.counts.get(name, 0),
                           "hits": hits, "more": not res.kind and res.counts.get(name, 0) > len(hits)})
    return render(request, "search/office/search.html", {
        "q": q, "res": res, "groups": groups, "error": error,
        "kinds": [(name, cls.label) for name, cls in sorted(kinds, key=lambda kv: kv[1].order)]},
        status=error.status_code if error else 200)


urlpatterns = [path("", search_page, name="search")]
