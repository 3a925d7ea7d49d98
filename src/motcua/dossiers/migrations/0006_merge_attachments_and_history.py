# Merges the attachment, virus-scan and history-hash branches of the dossiers migrations.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0005_attachment_internal_visibility'),
        ('dossiers', '0005_attachment_virus_scan_state'),
        ('dossiers', '0005_history_hash_every_field'),
    ]

    operations = [
    ]
