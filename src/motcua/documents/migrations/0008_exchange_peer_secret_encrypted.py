"""The shared secret of a peer agency is stored encrypted (motcua.core.crypto: Fernet, key derived from the
secret key): the column becomes text, the secrets already there are encrypted, then the field reads and writes
through the encryption."""
from django.db import migrations, models

import motcua.core.crypto

PURPOSE = "exchange-peer"


def encrypt_existing(apps, schema_editor):
    from motcua.core.crypto import PREFIX, encrypt
    ExchangePeer = apps.get_model("documents", "ExchangePeer")
    for peer in ExchangePeer.objects.exclude(secret="").exclude(secret__startswith=PREFIX):
        ExchangePeer.objects.filter(pk=peer.pk).update(secret=encrypt(peer.secret, PURPOSE))


def decrypt_existing(apps, schema_editor):
    from motcua.core.crypto import PREFIX, decrypt
    ExchangePeer = apps.get_model("documents", "ExchangePeer")
    for peer in ExchangePeer.objects.filter(secret__startswith=PREFIX):
        ExchangePeer.objects.filter(pk=peer.pk).update(secret=decrypt(peer.secret, PURPOSE)[:200])


class Migration(migrations.Migration):
    dependencies = [("documents", "0007_exchange_events_into_document_history")]
    operations = [
        migrations.AlterField(model_name="exchangepeer", name="secret",
                              field=models.TextField(blank=True, verbose_name="khóa bí mật dùng chung")),
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.AlterField(model_name="exchangepeer", name="secret",
                              field=motcua.core.crypto.EncryptedTextField(blank=True, purpose=PURPOSE,
                                                                          verbose_name="khóa bí mật dùng chung")),
    ]
