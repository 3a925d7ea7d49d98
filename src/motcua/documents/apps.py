from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    label = "documents"
    verbose_name = "Văn bản đi, văn bản đến"
    default_auto_field = "django.db.models.BigAutoField"
