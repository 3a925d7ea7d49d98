from django.db import migrations


def forwards(apps, schema_editor):
    from motcua.documents.defaults import ensure_retention
    ensure_retention(apps.get_model("documents", "DocumentType"), apps.get_model("documents", "RetentionRule"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_documents_review_events_files_archive")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
