"""One registry of notification channels. A channel registers itself under its identifier ("email",
"zalo", "sms"); it is enabled when its settings are complete (MOTCUA_EMAIL_*, MOTCUA_ZALO_ZNS_*,
MOTCUA_SMS_*) and MOTCUA_NOTIFY_CHANNELS does not leave it out."""
from importlib import import_module

from django.conf import settings

from motcua.integrations.registry import Registry

PLUGIN_MODULES = (
    "motcua.integrations.notifications.contrib.email.plugin",
    "motcua.integrations.notifications.contrib.zalo_zns.plugin",
    "motcua.integrations.notifications.contrib.sms_brandname.plugin",
)
PREFIX = "notify_"


register = Registry("channel")


def load_plugins():
    for module in PLUGIN_MODULES:
        import_module(module)


def enabled():
    """{identifier: channel instance} of the channels that can send now."""
    allowed = settings.MOTCUA_NOTIFY.get("channels")
    out = {}
    for ident, cls in register:
        if allowed is not None and ident not in allowed:
            continue
        channel = cls()
        if channel.configured():
            out[ident] = channel
    return out


def integration_name(identifier):
    return PREFIX + identifier


def channel_of(integration):
    """'notify_email' -> 'email'; None for another integration."""
    if not integration.startswith(PREFIX):
        return None
    ident = integration[len(PREFIX):]
    return ident if ident in register else None
