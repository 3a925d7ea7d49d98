from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "motcua.search"
    label = "search"
    verbose_name = "Tìm kiếm toàn văn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import kinds, signals  # noqa: F401  the built-in kinds and the after-commit hooks
        signals.connect()
