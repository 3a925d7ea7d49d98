"""What every payment gateway must answer (one small interface, Open Forms style).

services.py calls a gateway; a gateway never changes Motcua's state itself. It builds the payment
redirect, reads (and verifies) what the gateway sends back, formats the reply the gateway expects, and
asks the gateway about a transaction (query), its receipt, or a refund.
"""
from dataclasses import dataclass, field


class GatewayError(Exception):
    """`reason` is clear text (Vietnamese) for logs and officers; `code` is machine-readable."""

    def __init__(self, reason, code="gateway_error"):
        super().__init__(reason)
        self.reason, self.code = str(reason), code


class GatewayDown(GatewayError):
    """Refused connection, timeout, TLS error, 5xx, HTML or garbage: try again later."""


class GatewayRefused(GatewayError):
    """The gateway answered and said no (bad checksum, unknown merchant, invalid data)."""


class NotSupported(GatewayError):
    pass


# Outcomes of handling a notification (IPN / CONFIRM); each gateway maps them to its own reply codes.
CONFIRMED, ALREADY, NOT_FOUND, BAD_AMOUNT, BAD_SIGNATURE, ERROR = (
    "confirmed", "already", "not_found", "bad_amount", "bad_signature", "error")


@dataclass
class Notice:
    """What a gateway said about one transaction (IPN, CONFIRM, return URL, QUERY answer)."""
    valid: bool                      # the checksum verified
    reference: str = ""              # our order id
    amount: int | None = None        # đồng (VNPay's x100 already divided)
    paid: bool | None = None         # True paid, False failed/cancelled, None still pending
    gateway_txn: str = ""
    bank_code: str = ""
    code: str = ""                   # the gateway's own response code
    raw: dict = field(default_factory=dict)


@dataclass
class Start:
    pay_url: str


class PaymentGateway:
    identifier = ""
    verbose_name = ""
    channel = None          # motcua.dossiers.models.PaymentChannel of the payments it confirms
    has_receipt = False     # the gateway issues its own receipt (receipt())

    def start(self, order, *, ip, info, dossier):
        """Register the order with the gateway; returns a Start with the URL to send the browser to."""
        raise NotImplementedError

    def read_notification(self, data):
        """A Notice from the IPN / CONFIRM payload (query params or JSON)."""
        raise NotImplementedError

    def read_return(self, data):
        """A Notice from the browser's return (only shown, never changes an order)."""
        return self.read_notification(data)

    def reply(self, outcome, notice):
        """(HTTP status, JSON-able body) answering a notification."""
        raise NotImplementedError

    def query(self, order):
        """A Notice with the gateway's view of the order (paid / failed / pending)."""
        raise NotSupported("Cổng thanh toán không hỗ trợ truy vấn giao dịch.", code="query_not_supported")

    def refund(self, order, *, amount, by):
        raise NotSupported("Cổng thanh toán không hỗ trợ hoàn tiền qua API.", code="refund_not_supported")

    def receipt(self, order):
        """The gateway's own receipt (PDF bytes), or None when it offers none."""
        return None
