from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    label = "integrations"
    verbose_name = "Kết nối, đồng bộ"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Plugins register themselves on import (registry.register decorator).
        from .payments import registry as payments
        from .portal import registry
        registry.load_plugins()
        payments.load_plugins()
