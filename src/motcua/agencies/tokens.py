"""API tokens that expire and can be revoked, stored hashed (SHA-256 of a random 160-bit key: nothing to
brute-force, so no salt is needed, and a leaked table gives no usable key).

issue(user, days) -> the key, shown once; revoke(key_or_prefix); revoke_user(user);
ExpiringTokenAuthentication: DRF authentication for `Authorization: Token <key>`; an unknown, expired or
revoked token is 401 with the error shape (authentication_failed, token_expired, token_revoked)."""
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from motcua.core.errors import NotFound, TokenExpired, TokenRevoked, ValidationFailed

from .models import ApiToken

KEYWORD = "Token"


def digest(key):
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def issue(user, days=None):
    """A new token for `user`, valid for `days` (default MOTCUA_TOKEN_DAYS); returns the key (not stored)."""
    days = settings.MOTCUA_TOKEN_DAYS if days is None else days
    if not 1 <= days <= 3660:
        raise ValidationFailed(_("Thời hạn token phải từ 1 đến 3660 ngày."), code="token_days_invalid")
    key = secrets.token_hex(20)
    now = timezone.now()
    ApiToken.objects.create(user=user, digest=digest(key), prefix=key[:8], created_at=now,
                            expires_at=now + timedelta(days=days))
    return key


def _find(key_or_prefix):
    text = (key_or_prefix or "").strip()
    if len(text) == 40:
        found = list(ApiToken.objects.filter(digest=digest(text)))
    elif len(text) >= 8:
        found = list(ApiToken.objects.filter(prefix=text[:8]))
    else:
        found = []
    if len(found) != 1:
        raise NotFound(_("Không tìm thấy đúng một token với giá trị đã nhập (cần cả token, hoặc 8 ký tự đầu)."),
                       code="token_not_found", details={"matches": len(found)})
    return found[0]


@transaction.atomic
def revoke(key_or_prefix):
    """Revoke one token, named by its key or its first 8 characters; returns it."""
    token = _find(key_or_prefix)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def revoke_user(user):
    """Revoke every live token of `user`; returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


class ExpiringTokenAuthentication(TokenAuthentication):
    # A TokenAuthentication (the schema's tokenAuth scheme) with its own token table.
    keyword = KEYWORD

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed()
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed() from None
        token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed()
        if token.revoked_at is not None:
            raise TokenRevoked()
        if token.expires_at <= timezone.now():
            raise TokenExpired()
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
