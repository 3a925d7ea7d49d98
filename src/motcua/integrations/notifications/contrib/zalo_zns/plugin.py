"""Zalo ZNS channel: the citizen's phone (84...), the event's approved ZNS template, its parameters (the
event's variables and `loi_nhan`, the rendered text), tracking_id = motcua<notification id>."""
from django.conf import settings

from motcua.integrations.notifications.base import NotificationChannel
from motcua.integrations.notifications.phones import require_mobile
from motcua.integrations.notifications.registry import register

from .client import Client


def _conf():
    return settings.MOTCUA_NOTIFY["zalo"]


@register("zalo")
class ZaloZnsChannel(NotificationChannel):
    verbose_name = "Zalo ZNS"
    address = "phone"

    def configured(self):
        c = _conf()
        return bool(c.get("url") and c.get("access_token"))

    def check_address(self, address):
        return require_mobile(address)

    def send(self, rendered):
        c = _conf()
        limit = c["param_max"]
        data = {k: v[:limit] for k, v in rendered.params.items()}
        return Client(c["url"], c["access_token"], c["timeout"]).send(
            rendered.recipient, rendered.provider_template_id or c.get("template_id", ""), data, rendered.tracking_id)
