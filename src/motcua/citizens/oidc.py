"""Sign-in through an OpenID Connect identity provider (VNeID, the national portal's single sign-on, or any
OIDC provider), on mozilla-django-oidc.

The provider's identity claims (12-digit CCCD, full name, birth date; claim names in
MOTCUA_OIDC_CLAIMS) are checked before anything is written; the account bound to that CCCD signs in, or the
signed-in local account is bound to it, or a new account is made; then the profile is marked verified by
the provider (services.mark_verified), all in one transaction. A bad or unverifiable token, a provider that
does not answer and a wrong CCCD each end on the login page with a Vietnamese message and nothing saved.
Local accounts (username and password) keep working beside it."""
import hashlib
import logging
from datetime import date, datetime

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from motcua.core.errors import DomainError, ValidationFailed

from . import services

log = logging.getLogger("motcua.citizens.oidc")

DEFAULT_CLAIMS = {"id_number": "cccd", "full_name": "name", "birth_date": "birthdate"}


def enabled():
    """Configured: a client id, a token endpoint, and a way to check the provider's signature."""
    g = lambda name: getattr(settings, name, None)  # noqa: E731
    keyed = g("OIDC_OP_JWKS_ENDPOINT") or g("OIDC_RP_IDP_SIGN_KEY") or str(g("OIDC_RP_SIGN_ALGO")).startswith("HS")
    return bool(g("OIDC_RP_CLIENT_ID") and g("OIDC_OP_TOKEN_ENDPOINT") and keyed)


def provider_name():
    return getattr(settings, "MOTCUA_OIDC_PROVIDER_NAME", "VNeID")


class ProviderError(DomainError):
    status_code = 502
    code = "identity_provider_error"


def _birth_date(value):
    if value in (None, ""):
        return None
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationFailed(_("Ngày sinh từ nhà cung cấp định danh không hợp lệ."), code="identity_birth_date_invalid")


def _mask(number):
    return f"{number[:3]}******{number[-3:]}" if len(number or "") >= 6 else "***"


class Backend(OIDCAuthenticationBackend):
    """Maps the provider's identity claims to a Motcua account and marks it verified. Inert (never
    authenticates anyone) while sign-in through a provider is not configured."""

    def __init__(self, *args, **kwargs):
        self.configured = enabled()
        if self.configured:
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not self.configured:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # the library leaves the audience and issuer unchecked: a token for another client is refused
        aud = payload.get("aud")
        auds = aud if isinstance(aud, list) else [aud]
        if self.OIDC_RP_CLIENT_ID not in auds:
            raise SuspiciousOperation("id_token audience is not this client")
        issuer = getattr(settings, "MOTCUA_OIDC_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("id_token issuer mismatch")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        names = {**DEFAULT_CLAIMS, **getattr(settings, "MOTCUA_OIDC_CLAIMS", {})}
        identity = services.verified_identity(
            provider_name(), id_number=claims.get(names["id_number"]), full_name=claims.get(names["full_name"]),
            birth_date=_birth_date(claims.get(names["birth_date"])))
        current = getattr(self.request, "user", None)
        with transaction.atomic():
            user = services.account_for_identity(identity)
            if user is None and current is not None and current.is_authenticated:
                user = current          # bind the signed-in local account to the verified identity
            if user is None:
                User = get_user_model()
                username = "dd-" + hashlib.sha256(identity.id_number.encode()).hexdigest()[:12]
                user = User.objects.create_user(username=username, first_name=identity.full_name[:150])
                user.set_unusable_password()
                user.save(update_fields=["password"])
            services.mark_verified(user, identity)
        log.info("identity sign-in: account %s verified by %s (CCCD %s)", user.pk, identity.provider,
                 _mask(identity.id_number))
        return user


def start(request):
    if not enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


class Callback(OIDCAuthenticationCallbackView):
    """The library's callback, with every failure turned into a clear Vietnamese message."""

    @property
    def failure_url(self):
        return reverse("portal:login")

    def login_failure(self, message=None):
        messages.error(self.request, message or _("Đăng nhập bằng tài khoản định danh không thành công."))
        return HttpResponseRedirect(self.failure_url)

    def get(self, request):
        if not enabled():
            raise Http404
        if request.GET.get("error"):
            super().get(request)
            return self.login_failure(_("Bạn đã huỷ hoặc nhà cung cấp định danh từ chối đăng nhập."))
        try:
            return super().get(request)
        except (requests.ConnectionError, requests.Timeout) as exc:
            log.warning("identity provider unreachable: %s", type(exc).__name__)
            return self.login_failure(_("Không kết nối được với nhà cung cấp định danh. Vui lòng thử lại sau "
                                        "hoặc đăng nhập bằng tài khoản của hệ thống."))
        except requests.HTTPError as exc:
            status = getattr(exc.response, "status_code", None)
            log.warning("identity provider refused: HTTP %s", status)
            if status is not None and status >= 500:
                return self.login_failure(_("Nhà cung cấp định danh đang gặp sự cố. Vui lòng thử lại sau."))
            return self.login_failure(_("Mã xác thực từ nhà cung cấp định danh không hợp lệ hoặc đã hết hạn. "
                                        "Vui lòng đăng nhập lại."))
        except (SuspiciousOperation, jwt.PyJWTError, ValueError, KeyError) as exc:
            log.warning("identity token refused: %s", exc)
            return self.login_failure(_("Không xác minh được thông tin đăng nhập từ nhà cung cấp định danh "
                                        "(chữ ký hoặc mã không hợp lệ)."))
        except DomainError as exc:
            log.warning("identity claims refused: %s", exc.code)
            return self.login_failure(_("Không dùng được thông tin định danh: %(m)s") % {"m": exc.message})
