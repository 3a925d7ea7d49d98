"""Facts keep the month of the second supplement request (forced_month) instead of a flag, and a withdrawn
dossier keeps its withdrawal month, so that a closed period is never re-judged by later acts. The facts and
the cube are emptied and the refresh mark reset: the next refresh recomputes every dossier."""
from django.db import migrations, models


def clear(apps, schema_editor):
    apps.get_model("indicators", "MonthlyCube").objects.all().delete()
    apps.get_model("indicators", "DossierFact").objects.all().delete()
    apps.get_model("indicators", "RefreshState").objects.update(history_id=0, feedback_id=0, refreshed_at=None)


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_indicator_1_4_from_delivery_state'),
    ]

    operations = [
        migrations.RunPython(clear, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='monthlycube',
            name='uniq_cube_key',
        ),
        migrations.RemoveField(
            model_name='dossierfact',
            name='forced',
        ),
        migrations.RemoveField(
            model_name='monthlycube',
            name='forced',
        ),
        migrations.AddField(
            model_name='dossierfact',
            name='forced_month',
            field=models.IntegerField(default=1000000),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='monthlycube',
            name='forced_month',
            field=models.IntegerField(default=1000000),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name='monthlycube',
            constraint=models.UniqueConstraint(fields=('agency_id', 'procedure_id', 'recv_month', 'end_month', 'due_month', 'end_kind', 'ended_late', 'forced_month'), name='uniq_cube_key'),
        ),
    ]
