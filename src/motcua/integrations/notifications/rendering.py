"""Templates administrators write, rendered in a sandbox: Django template syntax with a few tags (if, for,
with, firstof), no loading, including or extending, no `safe`, autoescaped HTML; the context holds only
the event's variables as plain strings and lists (no objects whose attributes or methods could be
reached). A variable the event does not provide is refused when the template is saved."""
import re

from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed

ALLOWED_TAGS = {"if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "firstof"}
FORBIDDEN_FILTERS = {"safe", "safeseq", "pprint", "unordered_list"}
MAX_LENGTH = 5000
_UNKNOWN = "\u2983%s\u2984"          # ⦃name⦄: what an unknown variable renders as, found again below
_UNKNOWN_RE = re.compile("\u2983([^\u2984]*)\u2984")
_TAG_RE = re.compile(r"{%-?\s*(\w+)")
_FILTER_RE = re.compile(r"\|\s*(\w+)")


def _engine(autoescape, strict=False):
    return Engine(autoescape=autoescape, loaders=[], libraries={}, debug=False,
                  string_if_invalid=_UNKNOWN if strict else "",
                  builtins=["django.template.defaulttags", "django.template.defaultfilters"])


_HTML, _TEXT, _STRICT = _engine(True), _engine(False), _engine(False, strict=True)


def check_source(source, field="body"):
    """Refuse what the sandbox does not allow, with the machine-readable code and the offending name."""
    if len(source or "") > MAX_LENGTH:
        raise ValidationFailed(_("Mẫu quá dài (tối đa %(n)d ký tự).") % {"n": MAX_LENGTH}, code="template_too_long",
                               details={"field": field, "max_length": MAX_LENGTH})
    for tag in _TAG_RE.findall(source or ""):
        if tag not in ALLOWED_TAGS:
            raise ValidationFailed(_("Thẻ “%(tag)s” không được dùng trong mẫu thông báo.") % {"tag": tag},
                                   code="template_tag_not_allowed",
                                   details={"field": field, "tag": tag, "allowed": sorted(ALLOWED_TAGS)})
    for name in _FILTER_RE.findall(source or ""):
        if name in FORBIDDEN_FILTERS:
            raise ValidationFailed(_("Bộ lọc “%(name)s” không được dùng trong mẫu thông báo.") % {"name": name},
                                   code="template_filter_not_allowed", details={"field": field, "filter": name})
    try:
        return _STRICT.from_string(source or "")
    except TemplateSyntaxError as exc:
        raise ValidationFailed(_("Mẫu sai cú pháp: %(error)s") % {"error": exc}, code="template_syntax",
                               details={"field": field}) from None


def check_variables(source, context, field="body"):
    """Render against `context` (the event's sample values): a variable outside it is refused."""
    out = check_source(source, field).render(Context(dict(context), autoescape=False))
    unknown = sorted(set(_UNKNOWN_RE.findall(out)))
    if unknown:
        raise ValidationFailed(_("Mẫu dùng biến không có trong sự kiện này: %(names)s.") % {"names": ", ".join(unknown)},
                               code="template_unknown_variable", details={"field": field, "variables": unknown,
                                                                          "allowed": sorted(context)})


def _plain(context):
    return {k: (list(map(str, v)) if isinstance(v, (list, tuple)) else ("" if v is None else str(v)))
            for k, v in context.items()}


def render_text(source, context):
    """Plain text (SMS, Zalo, the text part of an e-mail): no HTML escaping, which would show as &amp;."""
    check_source(source)
    return _TEXT.from_string(source).render(Context(_plain(context), autoescape=False)).strip()


def render_html(source, context):
    """The HTML part of an e-mail: every variable autoescaped, line breaks kept."""
    from django.utils.html import linebreaks
    check_source(source)
    return linebreaks(_HTML.from_string(source).render(Context(_plain(context), autoescape=True)).strip(),
                      autoescape=False)
