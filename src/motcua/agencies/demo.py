"""Demo data of the agencies app: the agency tree of the demo province and its staff (`motcua seed`)."""
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from motcua.agencies import demodata as PV
from motcua.agencies.models import Agency, AgencyKind, Membership, Role


def _agency(code, name, kind, parent=None, symbol="", address=""):
    a = Agency(code=code, name=name, kind=kind, parent=parent, symbol=symbol, address=address)
    a.save()
    return a


def build_province():
    """Agencies. Returns a dict with the tree and the organisations staff belong to."""
    root = _agency(PV.PROVINCE["code"], PV.PROVINCE["name"], AgencyKind.PROVINCE, symbol=PV.PROVINCE["symbol"],
                   address=PV.PROVINCE["address"])
    root.place_name = PV.PROVINCE["place_name"]      # the departments and districts print their parent's
    root.save(update_fields=["place_name"])
    centre = _agency(PV.CENTRE["code"], PV.CENTRE["name"], AgencyKind.CENTRE, root, PV.CENTRE["symbol"],
                     PV.CENTRE["address"])
    orgs = []  # (slug, organisation, unit for specialist/unit head, kind)
    departments = {}
    for number, symbol, name, units in PV.DEPARTMENTS:
        dept = _agency(f"000.00.{number:02d}.{PV.SUFFIX}", name, AgencyKind.DEPARTMENT, root, symbol,
                       f"Trụ sở {name}, thành phố Hòa Bình")
        unit_objs = [_agency(f"000.{number:02d}.{i:02d}.{PV.SUFFIX}", unit, AgencyKind.UNIT, dept)
                     for i, unit in enumerate(units, start=1)]
        work_unit = unit_objs[1] if len(unit_objs) > 1 else unit_objs[0]
        departments[symbol] = (dept, work_unit)
        orgs.append((symbol.lower(), dept, work_unit, "department"))
    districts, communes = [], []
    for number, slug, name, commune_names in PV.DISTRICTS:
        dist = _agency(f"000.20.{number:02d}.{PV.SUFFIX}", name, AgencyKind.DISTRICT, root, slug.upper(),
                       f"Trụ sở {name}")
        units = [_agency(f"{100 + i:03d}.20.{number:02d}.{PV.SUFFIX}", unit, AgencyKind.UNIT, dist)
                 for i, unit in enumerate(PV.DISTRICT_UNITS, start=1)]
        districts.append((dist, units[1]))
        orgs.append((slug, dist, units[1], "district"))
        for c, cname in enumerate(commune_names, start=1):
            com = _agency(f"{c:03d}.20.{number:02d}.{PV.SUFFIX}", f"UBND {cname}", AgencyKind.COMMUNE, dist,
                          f"{slug.upper()}-X{c}", f"Trụ sở UBND {cname}, {name[5:]}")
            communes.append(com)
            orgs.append((f"{slug}-x{c}", com, com, "commune"))
    return {"root": root, "centre": centre, "departments": departments, "districts": districts,
            "communes": communes, "orgs": orgs}


def build_staff(tree):
    """Users and memberships; one password hash for all (hashing is deliberately slow)."""
    User = get_user_model()
    hashed = make_password(PV.PASSWORD)
    users, members = [], []  # members: (username, agency, role, title)

    def add(username, first, last, agency, role, title=None):
        users.append(User(username=username, password=hashed, first_name=first, last_name=last,
                          email=f"{username}@hoabinh-demo.gov.vn", is_staff=True))
        members.append((username, agency, role, title or PV.ROLE_TITLE[role]))

    rng = random.Random(7)
    name = lambda: (rng.choice(PV.MIDDLE) + " " + rng.choice(PV.GIVEN), rng.choice(PV.SURNAMES))  # noqa: E731
    for slug, org, work_unit, kind in tree["orgs"]:
        roles = list(PV.ROLE_SUFFIX)
        if kind == "commune":
            roles.remove(Role.UNIT_HEAD)
        for role in roles:
            agency = work_unit if role in (Role.SPECIALIST, Role.UNIT_HEAD) else org
            title = None
            if role == Role.AGENCY_LEADER:
                title = {"department": "Phó Giám đốc Sở", "district": "Phó Chủ tịch UBND huyện",
                         "commune": "Chủ tịch UBND xã"}[kind]
            add(f"{slug}.{PV.ROLE_SUFFIX[role]}", *name(), agency, role, title)
    for i in (1, 2):
        add(f"ttpvhcc.tiepnhan{'' if i == 1 else i}", *name(), tree["centre"], Role.RECEIVING_OFFICER)
    add("ttpvhcc.quantri", *name(), tree["centre"], Role.ADMINISTRATOR)
    User.objects.bulk_create(users)
    admin = User.objects.create(username="admin", password=hashed, first_name="Quản trị", last_name="tỉnh",
                                email="admin@hoabinh-demo.gov.vn", is_staff=True, is_superuser=True)
    ids = dict(User.objects.filter(username__in=[u.username for u in users]).values_list("username", "id"))
    Membership.objects.bulk_create([Membership(user_id=ids[u], agency=a, role=r, title=t) for u, a, r, t in members])
    Membership.objects.create(user=admin, agency=tree["root"], role=Role.ADMINISTRATOR, title="Quản trị hệ thống tỉnh")
    User.objects.bulk_create([User(username=u, password=hashed, first_name=n.split()[-1], last_name=n.split()[0])
                              for u, n in PV.CITIZENS])
    return len(users) + 1 + len(PV.CITIZENS)
