"""What the rest of Motcua calls for the national portal (never a provider directly)."""
from . import registry


def plugin_for(identifier):
    return registry.register.get(identifier)


def outbound_identifiers():
    """Integrations that receive every dossier act (the province's national-portal provider)."""
    ident = registry.enabled_identifier()
    return (ident,) if ident else ()
