"""Real local peers: an aiosmtpd SMTP server, the Zalo ZNS and SMS brandname contract servers; Motcua
pointed at them, fast retries, no national-portal sync (only notifications in the outbox)."""
import socket
from types import SimpleNamespace

import pytest

from motcua.integrations.notifications import recipients
from motcua.integrations.notifications.sims import SmsSimulator, ZnsSimulator

from ..integrations.conftest import FAST


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpHandler:
    """Accepts mail; refuses bounce*@ with 550 (unknown mailbox) and later*@ with 451 (greylisting)."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address.startswith("later"):
            return "451 4.7.1 Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


class Smtp:
    def __init__(self):
        self.handler = SmtpHandler()
        self.port = free_port()

    def start(self):
        from aiosmtpd.controller import Controller
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    @property
    def messages(self):
        return self.handler.messages


@pytest.fixture
def smtp():
    s = Smtp().start()
    yield s
    s.stop()


@pytest.fixture
def zns():
    s = ZnsSimulator(templates=("231001",), not_zalo=("84987000111",)).start()
    yield s
    s.stop()


@pytest.fixture
def sms():
    s = SmsSimulator(templates=("9001",)).start()
    yield s
    s.stop()


def configure(settings, smtp=None, zns=None, sms=None, **zalo):
    settings.MOTCUA_NATIONAL_PORTAL = ""
    settings.MOTCUA_DELIVERY = dict(FAST)
    n = {**settings.MOTCUA_NOTIFY, "channels": None, "public_url": "https://dvc.example.vn"}
    n["email"] = {**n["email"], "host": "127.0.0.1" if smtp else "", "port": smtp.port if smtp else 25,
                  "from": "Motcua <no-reply@motcua.test>", "timeout": 5}
    n["zalo"] = {**n["zalo"], "url": zns.url if zns else "", "access_token": "zns-test-token" if zns else "",
                 "template_id": "231001", "timeout": 5, **zalo}
    n["sms"] = {**n["sms"], "url": sms.url + "/" if sms else "", "apiuser": "motcua" if sms else "",
                "apipass": "motcua-sms", "labelid": "L1", "contractid": "C1", "agentid": "A1", "username": "u1",
                "templateid": "9001", "timeout": 5}
    settings.MOTCUA_NOTIFY = n


@pytest.fixture
def peers(settings, smtp, zns, sms):
    configure(settings, smtp, zns, sms)
    return SimpleNamespace(smtp=smtp, zns=zns, sms=sms)


@pytest.fixture
def profile(monkeypatch):
    """The applicant's citizen profile (motcua.citizens): the test fills `chosen` (notify_channels, phone, email)
    and the applicant's real Profile row is written with it when a notice looks the recipient up."""
    from motcua.citizens.models import Profile
    chosen = {}
    real = recipients.profile_for

    def with_profile(user_id):
        if chosen and user_id:
            Profile.objects.update_or_create(user_id=user_id, defaults=dict(chosen))
        return real(user_id)
    monkeypatch.setattr(recipients, "profile_for", with_profile)
    return chosen
