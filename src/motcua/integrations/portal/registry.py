"""One registry of national-portal providers. A provider registers itself under a unique identifier;
settings choose the province's provider (`MOTCUA_NATIONAL_PORTAL`, '' = none)."""
from importlib import import_module

from django.conf import settings

from motcua.integrations.registry import Registry

PLUGIN_MODULES = ("motcua.integrations.portal.contrib.dvcqg.plugin",)


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
