"""One registry of payment gateways. A gateway registers itself under a unique identifier; settings list
the gateways offered to citizens (`MOTCUA_PAYMENT_GATEWAYS`, comma separated, '' = no online payment)."""
from importlib import import_module

from django.conf import settings

from motcua.integrations.registry import Registry

PLUGIN_MODULES = ("motcua.integrations.payments.contrib.vnpay.plugin",
                  "motcua.integrations.payments.contrib.paygov.plugin")


register = Registry("payment gateway")


def load_plugins():
    for module in PLUGIN_MODULES:
        import_module(module)


def enabled_identifiers():
    load_plugins()
    return tuple(i for i in getattr(settings, "MOTCUA_PAYMENT_GATEWAYS", ()) if i in register)


def enabled():
    return [(i, register.get(i)) for i in enabled_identifiers()]
