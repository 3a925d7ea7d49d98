from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(using="default", **kwargs):
    """The shared database cache (rate limits, lock-outs) needs its table: every `migrate` (demo, serve
    set-up, the test database) creates it when missing; nothing happens for Redis."""
    from django.core.management import call_command
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"

    def ready(self):
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="motcua-createcachetable")
        from . import logins  # noqa: F401  (counts failed logins: user_login_failed)
