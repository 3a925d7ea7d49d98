"""What every national-portal provider must answer (one small interface, Open Forms style).

The delivery layer (motcua.integrations.delivery) calls `deliver(message)`; a provider raises one of the
errors below to say what should happen next. It never decides retries itself.
"""


class DeliveryError(Exception):
    """Base: `reason` is the clear text kept as the message's last error; `code` is machine-readable."""
    retry = True

    def __init__(self, reason, code="delivery_failed"):
        super().__init__(reason)
        self.reason = str(reason)
        self.code = code


class Transient(DeliveryError):
    """The receiver is down, slow, answered garbage or 5xx, the token endpoint refused...: retry later."""
    retry = True


class Permanent(DeliveryError):
    """The receiver rejected the content itself (validation): retrying the same message cannot help."""
    retry = False


class CannotMap(DeliveryError):
    """A mapping is missing (procedure or agency code): the message waits until an administrator adds it."""
    retry = False


class NationalPortalPlugin:
    identifier = ""
    verbose_name = ""

    def deliver(self, message):
        """Send the dossier's state as of history event `message.seq`. Raise a DeliveryError on failure."""
        raise NotImplementedError

    # Inbound (optional): dossiers submitted on the portal.
    def list_new(self):
        return []

    def fetch(self, remote_code):
        raise NotImplementedError

    def acknowledge(self, remote_code):
        raise NotImplementedError

    # Procedure catalogue (optional): the portal's procedure cards.
    def procedure_codes(self):
        """Codes of the procedures the portal publishes for this province."""
        raise NotImplementedError

    def procedure_card(self, remote_code):
        """One procedure card, read into a checked card object (the provider's own reader)."""
        raise NotImplementedError
