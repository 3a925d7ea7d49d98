"""One registry of national-portal providers. A provider registers itself under a unique identifier;
settings choose the province's provider (`MOTCUA_NATIONAL_PORTAL`, '' = none)."""
from importlib import import_module

from django.conf import settings

PLUGIN_MODULES = ("motcua.integrations.portal.contrib.dvcqg.plugin",)


class Registry:
    def __init__(self):
        self._plugins = {}

    def __call__(self, identifier):
        def decorator(cls):
            if identifier in self._plugins:
                raise ValueError(f"plugin {identifier!r} registered twice")
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


def enabled_identifier():
    ident = getattr(settings, "MOTCUA_NATIONAL_PORTAL", "")
    return ident if ident in register else ""


def enabled():
    ident = enabled_identifier()
    return register.get(ident) if ident else None
