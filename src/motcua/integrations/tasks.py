"""Background jobs (Django's task framework, django-tasks backport, django-tasks-db ORM backend)."""
from django_tasks import task


@task()
def deliver_dossier(integration, dossier_id):
    """Deliver the due messages of one dossier to one integration, in order."""
    from .delivery import run_dossier
    return run_dossier(integration, dossier_id)
