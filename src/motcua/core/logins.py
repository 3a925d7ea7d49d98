"""Login brute force: wrong passwords are counted per account and per client address in the shared store
(motcua.core.limits); MOTCUA_LOGIN_MAX_FAILURES_ACCOUNT failures on an account, or
MOTCUA_LOGIN_MAX_FAILURES_ADDRESS from one address, lock that account / address out for
MOTCUA_LOGIN_LOCKOUT_MINUTES, even with the right password.

Every login goes through django.contrib.auth.authenticate(): the failures are counted from its
user_login_failed signal, and LockoutBackend (first in AUTHENTICATION_BACKENDS) refuses a locked account or
address before any password is checked, so no login path (web form, admin, a future API login) escapes it.
LimitedAuthenticationForm says so in a clear Vietnamese message."""
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils.translation import gettext as _

from . import limits


def _lockout():
    return settings.MOTCUA_LOGIN_LOCKOUT_MINUTES * 60


def _account(username):
    return (username or "").strip().lower()


def locked_for(username, ip):
    """Seconds left on the lock-out of this account or this address (the longer), or 0."""
    return max(limits.locked_for("login-account", _account(username)) if username else 0,
               limits.locked_for("login-address", ip) if ip else 0)


def record_failure(username, ip):
    if username:
        limits.record_failure("login-account", _account(username), settings.MOTCUA_LOGIN_MAX_FAILURES_ACCOUNT,
                              _lockout())
    if ip:
        limits.record_failure("login-address", ip, settings.MOTCUA_LOGIN_MAX_FAILURES_ADDRESS, _lockout())


def locked_message(seconds):
    minutes = max(1, (seconds + 59) // 60)
    return _("Bạn đã nhập sai mật khẩu quá nhiều lần. Tài khoản hoặc địa chỉ này tạm bị khóa đăng nhập; "
             "vui lòng thử lại sau %(minutes)d phút.") % {"minutes": minutes}


def _ip(request):
    return limits.client_ip(request) if request is not None else ""


@receiver(user_login_failed, dispatch_uid="motcua-login-failed")
def _count_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    if getattr(request, "_motcua_login_locked", False):
        return                                  # refused while locked: not a new guess
    record_failure(username, _ip(request))


@receiver(user_logged_in, dispatch_uid="motcua-login-succeeded")
def _clear_account_failures(sender, request=None, user=None, **kwargs):
    if user is not None:
        limits.clear_failures("login-account", _account(user.get_username()))


class LockoutBackend:
    """Refuses every login of a locked account or from a locked address (authenticate() then stops)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if locked_for(username, _ip(request)):
            if request is not None:
                request._motcua_login_locked = True
            raise PermissionDenied
        return None
    # no get_user(): this backend never logs anyone in (and force_login must not pick it)


class LimitedAuthenticationForm(AuthenticationForm):
    locked = 0

    def clean(self):
        wait = locked_for(self.data.get("username", ""), _ip(self.request))
        if wait:
            self.locked = wait
            raise forms.ValidationError(locked_message(wait), code="login_locked")
        try:
            return super().clean()
        except forms.ValidationError:
            wait = locked_for(self.data.get("username", ""), _ip(self.request))
            if wait:                            # this failure was the last one allowed
                self.locked = wait
                raise forms.ValidationError(locked_message(wait), code="login_locked") from None
            raise
