"""Who may see what: an actor's roles and the agencies they cover."""
from dataclasses import dataclass, field

from django.db.models import Q

from .models import Agency, Membership, Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    roles: frozenset = field(default_factory=frozenset)           # {(role, org_path)}
    org_paths: tuple = ()                                          # scope roots
    # The organisations (Agency rows, parent loaded) where the actor is a receiving officer, read by
    # actor_for with the roles in the same query; None when the actor was built by hand (then
    # services.receiving_points reads them).
    receiving_orgs: tuple | None = field(default=None, compare=False, hash=False, repr=False)

    @property
    def is_staff_member(self):
        return bool(self.roles)

    def has_role(self, role, agency_path=None):
        """True if the actor holds `role` in an organisation whose subtree contains agency_path."""
        for r, path in self.roles:
            if r == role and (agency_path is None or agency_path.startswith(path)):
                return True
        return False

    def covers(self, agency_path):
        return any(agency_path.startswith(p) for p in self.org_paths)

    def scope_q(self, *fields):
        """A Q matching rows whose agency (through any of `fields`, each a path lookup) is in scope."""
        q = Q(pk__in=[])
        for f in fields:
            for p in self.org_paths:
                q |= Q(**{f"{f}__startswith": p})
        return q


def actor_for(user):
    if user is None or not user.is_authenticated:
        return Actor(user_id=None, username="anonymous")
    cached = getattr(user, "_motcua_actor", None)
    if cached is not None:
        return cached
    roles = set()
    paths = set()
    receiving = {}
    # agency__parent__parent: a unit's organisation comes with its own parent (a centre's province)
    for m in Membership.objects.filter(user=user).select_related("agency", "agency__parent", "agency__parent__parent"):
        org = m.agency.organisation
        roles.add((m.role, org.path))
        paths.add(org.path)
        if m.role == Role.RECEIVING_OFFICER:
            receiving[org.path] = org
    actor = Actor(user_id=user.pk, username=user.get_username(), roles=frozenset(roles),
                  org_paths=tuple(sorted(paths)), receiving_orgs=tuple(receiving[p] for p in sorted(receiving)))
    user._motcua_actor = actor
    return actor


def agencies_in_scope(actor):
    if not actor.org_paths:
        return Agency.objects.none()
    return Agency.objects.filter(actor.scope_q("path"))
