"""E-mail over SMTP through Django's SMTP e-mail backend (MOTCUA_EMAIL_HOST, _PORT, _USER, _PASSWORD,
_STARTTLS, _SSL, _FROM, _TIMEOUT). A plain-text part and an HTML part (autoescaped).

The SMTP answer decides: a 5xx refusal of the mailbox or the message (a bounce at send time) is Permanent;
a 4xx (greylisting, mailbox full for now), a refused or dropped connection, a timeout or a failed login is
Transient. Bounces that arrive later as delivery reports are not read (no mailbox is polled)."""
import smtplib
import socket
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend
from django.core.validators import validate_email
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.integrations.notifications.base import NotificationChannel, Permanent, Transient
from motcua.integrations.notifications.masking import mask_email
from motcua.integrations.notifications.registry import register


def _conf():
    return settings.MOTCUA_NOTIFY["email"]


def _answer(code, text):
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return code, text


def _classify(code, text, what):
    reason = _("Máy chủ thư %(what)s: %(code)s %(text)s") % {"what": what, "code": code, "text": text}
    if 500 <= int(code) < 600:
        return Permanent(reason, code=f"smtp_{code}")
    return Transient(reason, code=f"smtp_{code}")


@register("email")
class EmailChannel(NotificationChannel):
    verbose_name = "Thư điện tử (SMTP)"
    address = "email"

    def configured(self):
        return bool(_conf().get("host"))

    def check_address(self, address):
        try:
            validate_email(address)
        except ValidationError:
            raise Permanent(_("Địa chỉ thư điện tử %(a)s không hợp lệ.") % {"a": mask_email(address)},
                            code="invalid_email") from None
        return address

    def connection(self):
        c = _conf()
        return EmailBackend(host=c["host"], port=c["port"], username=c["user"] or None,
                            password=c["password"] or None, use_tls=c["starttls"], use_ssl=c["ssl"],
                            timeout=c["timeout"], fail_silently=False)

    def send(self, rendered):
        msgid = make_msgid(domain="motcua")
        mail = EmailMultiAlternatives(subject=rendered.subject or rendered.text[:80], body=rendered.text,
                                      from_email=_conf()["from"], to=[rendered.recipient],
                                      headers={"Message-ID": msgid, "X-Motcua-Tracking": rendered.tracking_id},
                                      connection=self.connection())
        if rendered.html:
            mail.attach_alternative(rendered.html, "text/html")
        try:
            mail.send()
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = _answer(*next(iter(exc.recipients.values())))
            raise _classify(code, text, _("từ chối người nhận")) from None
        except smtplib.SMTPSenderRefused as exc:
            raise _classify(*_answer(exc.smtp_code, exc.smtp_error), _("từ chối người gửi")) from None
        except smtplib.SMTPDataError as exc:
            raise _classify(*_answer(exc.smtp_code, exc.smtp_error), _("từ chối nội dung thư")) from None
        except smtplib.SMTPAuthenticationError as exc:
            raise Transient(_("Đăng nhập máy chủ thư không thành công (%(code)s).") % {"code": exc.smtp_code},
                            code="smtp_auth") from None
        except (smtplib.SMTPException, OSError, socket.timeout) as exc:
            raise Transient(_("Không gửi được tới máy chủ thư: %(e)s") % {"e": f"{type(exc).__name__}: {exc}"},
                            code="smtp_unreachable") from None
        return msgid.strip("<>")
