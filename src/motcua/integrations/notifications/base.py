"""What every notification channel must answer (one small interface, Open Forms style).

The delivery adapter (services.OutboxAdapter) renders the notice and calls `send(rendered)`; a channel
raises the delivery layer's errors to say what happens next: Transient (provider down, 5xx, timeout, a
temporary refusal: retried with back-off, then dead) or Permanent (bad phone, unknown mailbox, template
refused: dead at once). It never decides retries itself.
"""
from dataclasses import dataclass, field

from motcua.integrations.portal.base import DeliveryError, Permanent, Transient  # noqa: F401 (re-exported)


@dataclass
class Rendered:
    """A notice ready to send. `text` is plain text; `html` only for e-mail; `params` the template
    parameters for template-based providers (Zalo ZNS, SMS brandname)."""
    recipient: str
    subject: str
    text: str
    html: str = ""
    provider_template_id: str = ""
    params: dict = field(default_factory=dict)
    tracking_id: str = ""


class NotificationChannel:
    identifier = ""          # "email" | "zalo" | "sms": the values of a profile's notify_channels
    verbose_name = ""
    address = "email"        # which address of the recipient it needs: "email" | "phone"

    def configured(self):
        """True when the settings give what it needs to send (an unconfigured channel is never chosen)."""
        raise NotImplementedError

    def check_address(self, address):
        """The address in the form the provider takes; raise Permanent when it cannot be used."""
        return address

    def send(self, rendered):
        """Send; return the provider's reference (message id) or ''. Raise a DeliveryError on failure."""
        raise NotImplementedError
