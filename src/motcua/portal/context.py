"""Template context shared by every page: display preferences (text size, contrast) kept in cookies,
whether the user is an officer, and whether the feedback (phản ánh kiến nghị) form is available."""
from django.apps import apps

from motcua.agencies.scope import actor_for

SIZES = ("s", "m", "l")
SIZE_COOKIE, CONTRAST_COOKIE = "motcua_size", "motcua_contrast"


def feedback_enabled():
    return apps.is_installed("motcua.feedback")


def web(request):
    size = request.COOKIES.get(SIZE_COOKIE, "m")
    user = getattr(request, "user", None)
    officer = bool(user is not None and user.is_authenticated and actor_for(user).roles)
    return {
        "a11y": {"size": size if size in SIZES else "m", "contrast": request.COOKIES.get(CONTRAST_COOKIE) == "1"},
        "is_officer": officer,
        "feedback_enabled": feedback_enabled(),
        "oidc_enabled": _oidc_enabled(),
        "oidc_provider": _oidc_provider(),
    }


def _oidc_enabled():
    from motcua.citizens.oidc import enabled
    return enabled()


def _oidc_provider():
    from motcua.citizens.oidc import provider_name
    return provider_name()
