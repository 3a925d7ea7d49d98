"""One registry of payment gateways. A gateway registers itself under a unique identifier; settings list
the gateways offered to citizens (`MOTCUA_PAYMENT_GATEWAYS`, comma separated, '' = no online payment)."""
from importlib import import_module

from django.conf import settings

PLUGIN_MODULES = ("motcua.integrations.payments.contrib.vnpay.plugin",
                  "motcua.integrations.payments.contrib.paygov.plugin")


class Registry:
    def __init__(self):
        self._plugins = {}

    def __call__(self, identifier):
        def decorator(cls):
            if identifier in self._plugins:
                raise ValueError(f"payment gateway {identifier!r} registered twice")
            cls.identifier = identifier
            self._plugins[identifier] = cls
            return cls
        return decorator

    def __contains__(self, identifier):
        return identifier in self._plugins

    def __iter__(self):
        return iter(self._plugins.items())

    def get(self, identifier):
        return self._plugins[identifier]()


register = Registry()


def load_plugins():
    for module in PLUGIN_MODULES:
        import_module(module)


def enabled_identifiers():
    load_plugins()
    return tuple(i for i in getattr(settings, "MOTCUA_PAYMENT_GATEWAYS", ()) if i in register)


def enabled():
    return [(i, register.get(i)) for i in enabled_identifiers()]
