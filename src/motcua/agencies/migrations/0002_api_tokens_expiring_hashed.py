"""API tokens that expire and can be revoked, stored hashed. Tokens of DRF's authtoken (the table
authtoken_token, from before this migration) keep working: each becomes an ApiToken with the same key
(hashed), expiring MOTCUA_TOKEN_DAYS after this migration; the plain-text rows are then deleted."""
import hashlib
from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

LEGACY = "authtoken_token"


def carry_over_legacy_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("agencies", "ApiToken")
    expires = timezone.now() + timedelta(days=getattr(settings, "MOTCUA_TOKEN_DAYS", 90))
    q = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"SELECT {q('key')}, {q('user_id')}, {q('created')} FROM {q(LEGACY)}")
        rows = cur.fetchall()
    ApiToken.objects.bulk_create([
        ApiToken(user_id=user_id, digest=hashlib.sha256(key.encode()).hexdigest(), prefix=key[:8],
                 created_at=created, expires_at=expires) for key, user_id, created in rows])
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {q(LEGACY)}")


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(editable=False, max_length=64, unique=True)),
                ('prefix', models.CharField(db_index=True, help_text='first characters of the key, to name it', max_length=8)),
                ('created_at', models.DateTimeField()),
                ('expires_at', models.DateTimeField()),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.RunPython(carry_over_legacy_tokens, migrations.RunPython.noop),
    ]
