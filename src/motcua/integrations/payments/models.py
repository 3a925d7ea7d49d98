"""Online payment state: orders sent to a gateway, the raw calls received (audit), reconciliation
differences, and the beneficiary account of each agency. Money is integer đồng, never a float.

An order changes state only through motcua.integrations.payments.services; its `reference` is the
gateway's order id (VNPay vnp_TxnRef, PayGov MaThamChieu), unique across gateways.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier, Payment


class Purpose(models.TextChoices):
    FEE = "fee", _("Phí, lệ phí của thủ tục")
    OBLIGATION = "obligation", _("Nghĩa vụ tài chính")


class OrderState(models.TextChoices):
    CREATED = "created", _("Khởi tạo")
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    EXPIRED = "expired", _("Hết hạn")


OPEN_STATES = (OrderState.CREATED, OrderState.PENDING, OrderState.EXPIRED)


class RefundState(models.TextChoices):
    NONE = "", _("Không")
    DUE = "due", _("Cần hoàn tiền")
    REQUESTED = "requested", _("Đã gửi yêu cầu hoàn")
    DONE = "done", _("Đã hoàn tiền")
    FAILED = "failed", _("Hoàn tiền lỗi")


class PaymentOrder(models.Model):
    provider = models.CharField(max_length=20)
    reference = models.CharField(_("mã giao dịch"), max_length=64, unique=True)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payment_orders")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    lines = models.JSONField(default=list, help_text="[{kind: phi|le_phi, name, code, amount}]")
    state = models.CharField(max_length=10, choices=OrderState.choices, default=OrderState.CREATED)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    ip = models.CharField(max_length=45, blank=True)
    gateway_time = models.CharField(max_length=14, help_text="yyyyMMddHHmmss sent at INIT (vnp_CreateDate / ThoiGianGD)")
    pay_url = models.TextField(blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    gateway_txn = models.CharField(_("mã giao dịch tại cổng"), max_length=64, blank=True)
    bank_code = models.CharField(max_length=20, blank=True)
    response_code = models.CharField(max_length=10, blank=True)
    error = models.TextField(blank=True)
    payment = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="order")
    refund = models.CharField(max_length=10, choices=RefundState.choices, default=RefundState.NONE, blank=True)
    refund_note = models.TextField(blank=True)
    receipt_pdf = models.BinaryField(null=True, blank=True, help_text="the platform's own receipt (GET_BILL)")

    class Meta:
        indexes = [models.Index(fields=["state", "created_at"], name="payorder_state_created"),
                   models.Index(fields=["dossier", "purpose"], name="payorder_dossier_purpose")]

    def __str__(self):
        return self.reference


class GatewayCall(models.Model):
    """Every call a gateway made to Motcua (IPN, return, CONFIRM) and every QUERY answer, as received."""
    provider = models.CharField(max_length=20)
    kind = models.CharField(max_length=12)          # ipn | return | confirm | query | refund | init
    reference = models.CharField(max_length=64, blank=True, db_index=True)
    body = models.JSONField(default=dict)
    outcome = models.CharField(max_length=20)
    at = models.DateTimeField()


class DiffKind(models.TextChoices):
    THERE_NOT_HERE = "there_not_here", _("Cổng đã thu, Motcua chưa ghi nhận")
    HERE_NOT_THERE = "here_not_there", _("Motcua ghi nhận, cổng không có")
    AMOUNT = "amount", _("Số tiền khác nhau")
    DOUBLE = "double", _("Thanh toán trùng, cần hoàn tiền")


class Discrepancy(models.Model):
    """One difference found by reconciliation (or by a confirmed payment that could not be applied);
    an officer resolves each one."""
    provider = models.CharField(max_length=20)
    reference = models.CharField(max_length=64)
    order = models.ForeignKey(PaymentOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="diffs")
    kind = models.CharField(max_length=16, choices=DiffKind.choices)
    local_amount = models.BigIntegerField(null=True, blank=True)
    remote_amount = models.BigIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    found_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolution = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "reference", "kind"], name="uniq_discrepancy")]


class PaymentAccount(models.Model):
    """The beneficiary account (tài khoản thụ hưởng) of an agency's fees."""
    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="payment_account")
    account_number = models.CharField(_("số tài khoản thụ hưởng"), max_length=40)
    bank_code = models.CharField(_("mã ngân hàng thụ hưởng"), max_length=20)
    account_name = models.CharField(_("tên tài khoản thụ hưởng"), max_length=255)
    receipt_series = models.CharField(
        _("ký hiệu biên lai"), max_length=20, blank=True,
        help_text="Ký hiệu biên lai điện tử của cơ quan (mặc định BL-<mã cơ quan>)")


class ReceiptKind(models.TextChoices):
    PHI = "phi", _("Biên lai thu phí")
    LE_PHI = "le_phi", _("Biên lai thu lệ phí")


class Receipt(models.Model):
    """Motcua's own electronic receipt (biên lai điện tử) of a confirmed online payment: one for the phí
    lines and one for the lệ phí lines (INTEGRATIONS.md §2.4). Numbered per collecting agency and year
    (≤ 8 digits, from 1 each 1 January, gap-free: the number is taken in the confirmation's transaction).
    What is printed is kept as issued; a cancelled receipt keeps its number, which is never reused."""
    order = models.ForeignKey(PaymentOrder, on_delete=models.PROTECT, related_name="receipts")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=ReceiptKind.choices)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    series = models.CharField(max_length=20)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    lines = models.JSONField(default=list)
    payer = models.JSONField(default=dict, help_text="{name, id_number, address} as on the dossier")
    collector = models.JSONField(default=dict, help_text="{agency, parent, account_number, bank_code, account_name}")
    issued_at = models.DateTimeField()
    pdf = models.BinaryField(null=True, blank=True)
    signed = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["year", "number"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "number"], name="uniq_receipt_number"),
                       models.UniqueConstraint(fields=["order", "kind"], name="uniq_receipt_per_order_kind")]

    @property
    def number_text(self):
        return f"{self.number:08d}"

    def __str__(self):
        return f"{self.series} {self.number_text}/{self.year}"
