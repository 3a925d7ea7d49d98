# Merges the signature-record and archive-timestamp branches of the signing migrations.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('signing', '0002_archive_timestamps'),
        ('signing', '0002_signature_record_secrecy_and_certificate_used'),
    ]

    operations = [
    ]
