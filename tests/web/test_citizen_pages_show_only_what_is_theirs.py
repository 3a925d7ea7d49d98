"""The citizen portal through Django's test client: files, "Hồ sơ của tôi" and the dossier page only for
the owner (404 for anybody else, no existence leak), reasons written by officers shown as text (escaped),
and the public on-time rates counting late dossiers as late."""
import re

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Channel

from ..conftest import at
from .helpers import PDF
from ..conftest import attach_result

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script> thiếu bản vẽ"


@pytest.fixture
def online(province, actors, intake_data):
    d, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE), now=at("2026-06-01 08:00"))
    return d


@pytest.fixture
def stranger(django_user_model):
    return django_user_model.objects.create_user(username="congdan_khac", password="pw-khac")


def test_a_file_is_served_only_to_who_may_read_its_dossier(client, province, actors, online, stranger):
    att = services.attach(actors["citizen"], online.code, kind="component", filename="đơn.pdf", content=PDF,
                          version=online.version)
    url = f"/tep/{att.pk}/"
    assert client.get(url).status_code == 302                       # log in first
    client.force_login(province.citizen)
    resp = client.get(url)
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == PDF
    for who in (stranger, province.other):                          # another citizen, another agency's officer
        client.force_login(who)
        assert client.get(url).status_code == 404, who.username
    client.force_login(province.receiver)                           # the competent agency's officer may read it
    assert client.get(url).status_code == 200
    client.force_login(stranger)
    assert client.get(f"/tep/{att.pk + 1000}/").status_code == 404  # same answer as a file that does not exist


def test_my_dossiers_lists_only_my_own(client, province, online, stranger):
    client.force_login(province.citizen)
    assert online.code in client.get("/ho-so-cua-toi/").content.decode()
    client.force_login(stranger)
    assert online.code not in client.get("/ho-so-cua-toi/").content.decode()


def test_my_dossier_page_is_the_owners_only(client, province, online, stranger):
    url = f"/ho-so-cua-toi/{online.code}/"
    client.force_login(province.citizen)
    assert client.get(url).status_code == 200
    # another citizen, and an officer who may read the dossier in the back office but does not own it
    for who in (stranger, province.receiver, province.other):
        client.force_login(who)
        assert client.get(url).status_code == 404, who.username


def test_an_officers_reason_is_shown_as_text_not_markup(client, province, actors, online):
    services.request_supplement(actors["receiver"], online.code, reason=SCRIPT, components=["Bản vẽ"],
                                version=online.version, now=at("2026-06-01 09:00"))
    client.force_login(province.citizen)
    page = client.get(f"/ho-so-cua-toi/{online.code}/").content.decode()
    assert "<script>alert(" not in page
    # shown twice, escaped: the open supplement request and the history row
    assert page.count("&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt; thiếu bản vẽ") == 2


def test_on_time_rates_count_late_dossiers_as_late(client, province, actors, intake_data):
    """The public on-time page uses indicator 2.1 of the period: finished in time or still within the deadline
    at the end of the period is on time; finished late or open past the due is late."""
    def finished(when):
        d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))   # due 06-04 08:00
        services.forward(actors["receiver"], d.code, now=at(when))
        services.forward(actors["specialist"], d.code, now=at(when))
        services.approve(actors["leader"], d.code, now=at(when))
        attach_result(actors["clerk"], d.code, now=at(when))
        services.mark_result_ready(actors["clerk"], d.code, now=at(when))

    finished("2026-06-02 08:00")                                                      # early
    finished("2026-06-04 08:00")                                                      # on the due moment
    finished("2026-06-10 08:00")                                                      # late
    services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))      # open, overdue: late
    services.intake(actors["receiver"], intake_data, now=at("2026-06-30 08:00"))      # open, within: on time
    page = client.get("/ty-le-dung-han/?period=2026-06").content.decode()
    row = re.search(r'<tr data-agency="[^"]+"><td>Sở Xây dựng</td>(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells == ["5", "3", "2", "60,0%"]                  # dossiers, on time, late, rate
