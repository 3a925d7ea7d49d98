"""After-commit hooks: every save of a watched model re-indexes its row once the transaction commits.

Dossier components are written in bulk at intake (no signal), so a new dossier indexes its components too;
a new attachment re-indexes its component (text sources may read the component's files) and, for a
result, its own row."""
from django.db.models.signals import post_delete, post_save

from . import services
from .kinds import kind_of

_watched = set()


def _saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:     # loaddata
        return
    from motcua.dossiers.models import Attachment, Dossier
    if isinstance(instance, Dossier):
        services.index_later(instance, "dossier", with_components=True)
        return
    services.index_later(instance)
    if isinstance(instance, Attachment) and instance.component_id:
        services.index_later(instance.component, "component")


def _deleted(sender, instance, **kwargs):
    name = kind_of(instance)
    if name:
        services.remove_later(name, instance.pk)


def watch(model):
    """Keep `model`'s index rows up to date (a kind registered for it decides what is indexed)."""
    if model in _watched:
        return
    _watched.add(model)
    post_save.connect(_saved, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-delete-{model._meta.label}")


def connect():
    from motcua.documents.models import IncomingDocument, OutgoingDocument
    from motcua.dossiers.models import Attachment, Dossier, DossierComponent
    for model in (Dossier, DossierComponent, Attachment, OutgoingDocument, IncomingDocument):
        watch(model)
