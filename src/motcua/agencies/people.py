"""How staff are named on paper: full name in Vietnamese order (surname first) and title (chức danh), never
the user name. The title is the membership's; without one, the Vietnamese name of the role."""
from dataclasses import dataclass

from django.utils import translation

from .models import Membership, Role


@dataclass(frozen=True)
class Official:
    name: str       # "" when the account carries no name: the form leaves the line for a handwritten one
    title: str

    def __str__(self):
        return ", ".join(x for x in (self.title, self.name) if x)


def full_name(user):
    """"Nguyễn Văn An" from last_name "Nguyễn" and first_name "Văn An" (Vietnamese order)."""
    return " ".join(f"{user.last_name} {user.first_name}".split())


def official(user, agency=None, role=None):
    """The person `user` as printed on a form issued by `agency` (their membership in it or below it first)."""
    if user is None:
        return Official("", "")
    memberships = list(Membership.objects.filter(user=user).select_related("agency"))
    if role:
        memberships.sort(key=lambda m: m.role != role)
    if agency is not None:
        memberships.sort(key=lambda m: not m.agency.path.startswith(agency.path)
                         and not agency.path.startswith(m.agency.path))
    m = memberships[0] if memberships else None
    with translation.override("vi"):     # official documents are in Vietnamese whatever the page language
        title = str(m.title or Role(m.role).label) if m else ""
    return Official(full_name(user), title)


def official_by_id(user_id, agency=None, role=None):
    from django.contrib.auth import get_user_model
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return official(user, agency, role)
