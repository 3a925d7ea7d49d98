"""SMS brandname channel: the citizen's phone (84...), the event's carrier-approved template, the rendered
text without diacritics, cut to MOTCUA_SMS_MAX_CHARS; REQID = motcua<notification id>."""
from django.conf import settings

from motcua.integrations.notifications.base import NotificationChannel
from motcua.integrations.notifications.phones import require_mobile
from motcua.integrations.notifications.registry import register

from .client import Client, plain_sms


def _conf():
    return settings.MOTCUA_NOTIFY["sms"]


@register("sms")
class SmsBrandnameChannel(NotificationChannel):
    verbose_name = "SMS brandname"
    address = "phone"

    def configured(self):
        c = _conf()
        return bool(c.get("url") and c.get("apiuser"))

    def check_address(self, address):
        return require_mobile(address)

    def send(self, rendered):
        c = _conf()
        text = plain_sms(rendered.text)[:c["max_chars"]]
        return Client(c).send(rendered.recipient, rendered.provider_template_id or c.get("templateid", ""), text,
                              rendered.tracking_id)
