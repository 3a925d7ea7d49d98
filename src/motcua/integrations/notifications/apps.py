from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "motcua.integrations.notifications"
    label = "notifications"
    verbose_name = "Thông báo cho người nộp hồ sơ"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Channels register themselves on import (registry.register decorator).
        from . import registry
        registry.load_plugins()
