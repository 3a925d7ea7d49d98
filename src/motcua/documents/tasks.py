"""Background jobs of the exchange (the same django-tasks-db queue as the dossier delivery)."""
from django_tasks import task


@task()
def deliver_exchange(key):
    """Deliver the due edXML messages to one peer agency, in order."""
    from .transport import run_key
    return run_key(key)
