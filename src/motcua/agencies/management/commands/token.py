from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.agencies import tokens
from motcua.agencies.models import ApiToken
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = ("Issue an API token (Authorization: Token <token>), shown once: motcua token USERNAME [--days N]. "
            "List a user's tokens: --list USERNAME. Revoke: --revoke TOKEN (or its first 8 characters), "
            "or every token of a user: USERNAME --revoke-all.")

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument("--days", type=int, default=None,
                            help="validity in days (default MOTCUA_TOKEN_DAYS, 90)")
        parser.add_argument("--revoke", metavar="TOKEN", help="revoke this token (the key, or its first 8 characters)")
        parser.add_argument("--revoke-all", action="store_true", help="revoke every token of USERNAME")
        parser.add_argument("--list", action="store_true", help="list USERNAME's tokens")

    def _user(self, username):
        if not username:
            raise CommandError("Cần tên tài khoản (USERNAME).")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {username!r}.")
        return user

    def handle(self, username=None, **opts):
        try:
            if opts["revoke"]:
                t = tokens.revoke(opts["revoke"])
                self.stdout.write(f"Đã thu hồi token {t.prefix}… của {t.user.get_username()}.")
            elif opts["revoke_all"]:
                n = tokens.revoke_user(self._user(username))
                self.stdout.write(f"Đã thu hồi {n} token của {username}.")
            elif opts["list"]:
                now = timezone.now()
                for t in ApiToken.objects.filter(user=self._user(username)).order_by("created_at"):
                    state = ("đã thu hồi" if t.revoked_at else "hết hạn" if t.expires_at <= now else "còn hiệu lực")
                    self.stdout.write(f"{t.prefix}…  tạo {t.created_at:%Y-%m-%d}  hết hạn {t.expires_at:%Y-%m-%d}  {state}")
            else:
                self.stdout.write(tokens.issue(self._user(username), opts["days"]))
        except DomainError as exc:
            raise CommandError(exc.message) from None
