"""The document types and symbols of Decree 30/2020, Appendix III (data; an administrator may add more)."""
from django.db import migrations

from motcua.documents.defaults import TYPES


def add(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for name, symbol, edxml_type in TYPES:
        DocumentType.objects.get_or_create(name=name, defaults={"symbol": symbol, "edxml_type": edxml_type})


def remove(apps, schema_editor):
    apps.get_model("documents", "DocumentType").objects.filter(name__in=[t[0] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_documents_and_registers")]
    operations = [migrations.RunPython(add, remove)]
