"""Who a notice goes to and on which channels.

`recipient_for(dossier)`: the e-mail and phone the dossier itself carries (as filed or corrected for this
dossier); when the applicant's account has a citizen profile (motcua.citizens.models.Profile), its phone/e-mail
fill what the dossier lacks and its `notify_channels` ("email", "zalo", "sms") are the channels. Without a
profile: e-mail when an e-mail is known, nothing else.
"""
from dataclasses import dataclass

CHANNELS = ("email", "zalo", "sms")


@dataclass(frozen=True)
class Recipient:
    email: str = ""
    phone: str = ""
    channels: tuple = ()

    def address(self, kind):
        return self.email if kind == "email" else self.phone


def profile_for(user_id):
    """The applicant's citizen profile (motcua.citizens), or None."""
    if not user_id:
        return None
    from motcua.citizens.models import Profile
    return Profile.objects.filter(user_id=user_id).first()


def _channels(profile, email):
    if profile is None:
        return ("email",) if email else ()
    chosen = getattr(profile, "notify_channels", None) or []
    if not isinstance(chosen, (list, tuple)):
        return ()
    return tuple(c for c in CHANNELS if c in chosen)


def recipient_for(dossier):
    profile = profile_for(dossier.owner_id)
    email = (dossier.applicant_email or "").strip() or (getattr(profile, "email", "") or "").strip()
    phone = (dossier.applicant_phone or "").strip() or (getattr(profile, "phone", "") or "").strip()
    return Recipient(email=email, phone=phone, channels=_channels(profile, email))


def recipient_for_feedback(feedback):
    """The sender of a feedback: the contact they gave (an e-mail or a phone number), their profile's."""
    contact = (feedback.sender_contact or "").strip()
    email = contact if "@" in contact else ""
    phone = "" if email else contact
    profile = profile_for(feedback.owner_id)
    email = email or (getattr(profile, "email", "") or "").strip()
    phone = phone or (getattr(profile, "phone", "") or "").strip()
    return Recipient(email=email, phone=phone, channels=_channels(profile, email))
