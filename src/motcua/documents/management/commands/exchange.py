"""`motcua exchange ...`: the peer directory (administrators), the exchange outbox, a platform poll, and what
the recipients of an outgoing document answered."""
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from motcua.agencies.scope import actor_for
from motcua.core.crypto import mask
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = "Liên thông văn bản (edXML): danh bạ cơ quan, hàng đợi gửi, nhận từ trục. Document exchange."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="cmd", required=True)
        p = sub.add_parser("peer", help="add or change a peer agency (administrator)")
        p.add_argument("code")
        p.add_argument("--name", required=True)
        p.add_argument("--plugin", choices=["direct", "platform"], required=True)
        p.add_argument("--endpoint", default="")
        p.add_argument("--secret", default="")
        p.add_argument("--inactive", action="store_true")
        p.add_argument("--as", dest="username", required=True)
        sub.add_parser("peers", help="list the peer directory")
        sub.add_parser("outbox", help="exchange messages by state")
        sub.add_parser("resend", help="dead exchange messages back to pending")
        sub.add_parser("poll", help="take in what the exchange platform holds for us")
        s = sub.add_parser("status", help="what each recipient of an outgoing document answered")
        s.add_argument("id", type=int)
        s.add_argument("--as", dest="username", required=True)

    def _actor(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        return actor_for(user)

    def handle(self, *args, **o):
        from django.db.models import Count

        from motcua.documents import exchange_flow, transport
        from motcua.documents.models import ExchangeMessage, ExchangePeer
        try:
            if o["cmd"] == "peer":
                peer = exchange_flow.set_peer(self._actor(o["username"]), o["code"], name=o["name"],
                                              plugin=o["plugin"], endpoint=o["endpoint"], secret=o["secret"],
                                              is_active=not o["inactive"])
                self.stdout.write(f"{peer.code} {peer.plugin} {peer.endpoint} secret={mask(peer.secret) or '-'}")
            elif o["cmd"] == "peers":
                for p in ExchangePeer.objects.all():
                    self.stdout.write(f"{p.code}\t{p.plugin}\t{'active' if p.is_active else 'inactive'}\t"
                                      f"{p.endpoint}\t{p.name}\tsecret={mask(p.secret) or '-'}")
            elif o["cmd"] == "outbox":
                rows = ExchangeMessage.objects.values("state").annotate(n=Count("pk"))
                self.stdout.write(json.dumps({r["state"]: r["n"] for r in rows}))
            elif o["cmd"] == "resend":
                self.stdout.write(str(transport.resend(ExchangeMessage.objects.all())))
            elif o["cmd"] == "poll":
                from motcua.documents.contrib.platform import poll_once
                self.stdout.write(json.dumps(poll_once()))
            elif o["cmd"] == "status":
                rows = exchange_flow.recipient_statuses(self._actor(o["username"]), o["id"])
                self.stdout.write(json.dumps(rows, default=str, ensure_ascii=False))
        except DomainError as exc:
            raise CommandError(f"[{exc.code}] {exc.message}")
