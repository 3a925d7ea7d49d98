from django.db import migrations


def seed(apps, schema_editor):
    from motcua.integrations.notifications.defaults import seed as seed_defaults
    seed_defaults(apps.get_model("notifications", "NotificationTemplate"))


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_notifications_templates_log"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
