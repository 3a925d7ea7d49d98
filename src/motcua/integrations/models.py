"""The delivery layer's state (outbox, per-dossier remote state), mapping tables and inbound dossiers.

The outbox is the source of truth for what must reach which integration. A django-tasks job is only the
wake-up call: it is written in the same transaction as the act, and a sweeper re-enqueues work whose job
was lost (a worker killed mid-batch), so a committed act is never forgotten.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier


class MessageState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    RETRYING = "retrying", _("Đang thử lại")
    DELIVERED = "delivered", _("Đã gửi")
    DEAD = "dead", _("Gửi thất bại")
    CANNOT_MAP = "cannot_map", _("Chưa ánh xạ được")


UNDELIVERED = (MessageState.PENDING, MessageState.RETRYING, MessageState.DEAD, MessageState.CANNOT_MAP)
BLOCKED = (MessageState.DEAD, MessageState.CANNOT_MAP)


class OutboxMessage(models.Model):
    """One message to one integration about one dossier: 'the dossier changed up to history event `seq`'.

    The payload is built at delivery time from the dossier and its history up to `seq`, so a message is
    tiny to write (intake speed) and always describes exactly the state of that act. Messages of one
    (integration, dossier) are delivered in `seq` order; `message_id` is stable, for the receiver's de-dup.
    """
    integration = models.CharField(max_length=40)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField(help_text="the dossier's history seq this message covers (up to)")
    action = models.CharField(max_length=40)
    status = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=MessageState.choices, default=MessageState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["integration", "dossier", "seq"], name="uniq_outbox_seq")]
        indexes = [
            models.Index(fields=["integration", "state", "agency"], name="outbox_state_agency"),
            models.Index(fields=["dossier", "integration", "seq"], name="outbox_undelivered",
                         condition=~models.Q(state="delivered")),
            models.Index(fields=["next_attempt_at"], name="outbox_due",
                         condition=models.Q(state__in=["pending", "retrying"])),
        ]

    @property
    def message_id(self):
        return f"{self.integration}:{self.dossier_id}:{self.seq}"


class RemoteDossier(models.Model):
    """What an integration already knows of a dossier: its code there, whether it was created there, the
    last history seq whose progress items were sent (progress is never sent twice)."""
    integration = models.CharField(max_length=40)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    remote_code = models.CharField(_("mã hồ sơ trên Cổng DVCQG"), max_length=64, blank=True, db_index=True)
    created_remotely = models.BooleanField(default=False)
    progress_seq = models.PositiveIntegerField(default=0)
    synced_seq = models.PositiveIntegerField(default=0)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["integration", "dossier"], name="uniq_remote_dossier")]


class ProcedureMapping(models.Model):
    """Local procedure -> DVCQG procedure code (MaTTHC), e.g. 1.009974 -> 1.009974.000.00.00.H13."""
    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="dvcqg_mapping")
    remote_code = models.CharField(_("mã TTHC trên Cổng DVCQG"), max_length=60, db_index=True)
    remote_name = models.CharField(max_length=500, blank=True)
    remote_field_code = models.CharField(max_length=40, blank=True)
    remote_field_name = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by the procedure-card import (procedure_import.py): when, a digest of the card as read, and a
    # digest of the local procedure as the import left it (a different digest later = edited locally).
    imported_at = models.DateTimeField(null=True, blank=True)
    card_digest = models.CharField(max_length=64, blank=True)
    local_digest = models.CharField(max_length=64, blank=True)


class AgencyMapping(models.Model):
    """Agency -> agency identifier code used by DVCQG (MaDinhDanhDV / madonvi), e.g. 000.00.17.H13."""
    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="dvcqg_mapping")
    remote_code = models.CharField(_("mã định danh trên Cổng DVCQG"), max_length=40, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)


class InboundState(models.TextChoices):
    CREATED = "created", _("Đã tạo hồ sơ")
    CANNOT_MAP = "cannot_map", _("Chưa ánh xạ được")
    FAILED = "failed", _("Lỗi dữ liệu")


class InboundDossier(models.Model):
    """A dossier submitted on DVCQG, kept as received. One row per DVCQG code: the same dossier arriving
    twice (poll and webhook, or a repeat) makes one local dossier."""
    integration = models.CharField(max_length=40, default="dvcqg")
    remote_code = models.CharField(_("mã hồ sơ trên Cổng DVCQG"), max_length=64, unique=True)
    payload = models.JSONField()
    via = models.CharField(max_length=10)   # poll | webhook
    state = models.CharField(max_length=12, choices=InboundState.choices)
    reason = models.TextField(blank=True)
    reason_code = models.CharField(max_length=40, blank=True)
    dossier = models.OneToOneField(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="inbound")
    received_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=1)
    acknowledged = models.BooleanField(default=False)


class WebhookNonce(models.Model):
    """Nonces of accepted webhook calls inside the replay window (a repeat is refused)."""
    nonce = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField(db_index=True)


from .payments.models import (Discrepancy, GatewayCall, PaymentAccount, PaymentOrder)  # noqa: E402,F401  (online payment)
