"""Who a notice goes to and on which channels.

`recipient_for(dossier)`: the e-mail and phone the dossier itself carries (as filed or corrected for this
dossier); when the applicant's account has a citizen profile (any installed model with a `notify_channels`
JSON list and a link to the user; looked up, never imported by name), its phone/e-mail fill what the
dossier lacks and its `notify_channels` ("email", "zalo", "sms") are the channels. Without a profile: e-mail
when an e-mail is known, nothing else.
"""
from dataclasses import dataclass
from functools import lru_cache

from django.apps import apps
from django.conf import settings

CHANNELS = ("email", "zalo", "sms")


@dataclass(frozen=True)
class Recipient:
    email: str = ""
    phone: str = ""
    channels: tuple = ()

    def address(self, kind):
        return self.email if kind == "email" else self.phone


@lru_cache(maxsize=1)
def profile_model():
    """(model, name of its user field) of the citizen profile, or None when no app provides one."""
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if "notify_channels" not in names:
            continue
        for f in model._meta.get_fields():
            if getattr(f, "many_to_one", False) or getattr(f, "one_to_one", False):
                if f.related_model is not None and f.related_model._meta.label == settings.AUTH_USER_MODEL \
                        and f.concrete:
                    return model, f.name
    return None


def profile_for(user_id):
    found = profile_model()
    if found is None or not user_id:
        return None
    model, user_field = found
    return model.objects.filter(**{f"{user_field}_id": user_id}).first()


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
