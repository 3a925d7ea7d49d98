"""What each side may see: the applicant sees the status history and the reasons addressed to them, but
not officers' internal notes (forward notes, step outcomes) nor internal attachments, on every read path:
the file download, the citizen's dossier page, the API's dossier and history, the forms."""
import pytest
from motcua.agencies.tokens import issue as issue_token
from rest_framework.test import APIClient

from motcua.dossiers import services
from motcua.dossiers.models import Channel

from tests.web.helpers import PDF

NOTE = "Ghi chú nội bộ: nghi giấy tờ giả, cần xác minh với công an"
REASON = "Bản vẽ thiết kế chưa có chữ ký của chủ đầu tư"


@pytest.fixture
def dossier(province, actors, intake_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    d, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE))
    own = services.attach(actors["citizen"], d.code, kind="component", filename="don.pdf", content=PDF)
    d = services.receive(actors["receiver"], d.code)
    d = services.forward(actors["receiver"], d.code, note=NOTE)
    internal = services.attach(actors["specialist"], d.code, kind="other", filename="bien-ban-xac-minh.pdf",
                               content=PDF)
    shared = services.attach(actors["specialist"], d.code, kind="other", filename="thong-bao.pdf", content=PDF,
                             internal=False)
    d = services.request_supplement(actors["specialist"], d.code, reason=REASON, components=["Bản vẽ có chữ ký"])
    d.files = {"own": own, "internal": internal, "shared": shared}
    return d


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user)}")
    return client


def test_internal_attachment_is_not_downloadable_by_the_applicant(client, province, dossier):
    assert dossier.files["internal"].internal and not dossier.files["shared"].internal
    assert not dossier.files["own"].internal
    client.force_login(province.citizen)
    assert client.get(f"/tep/{dossier.files['internal'].pk}/").status_code == 404
    assert client.get(f"/tep/{dossier.files['own'].pk}/").status_code == 200
    assert client.get(f"/tep/{dossier.files['shared'].pk}/").status_code == 200
    client.force_login(province.specialist)
    assert client.get(f"/tep/{dossier.files['internal'].pk}/").status_code == 200


def test_api_history_hides_internal_notes_from_the_applicant(province, dossier):
    events = api(province.citizen).get(f"/api/v1/dossiers/{dossier.code}/history/").json()
    text = str(events)
    assert NOTE not in text and "bien-ban-xac-minh" not in text
    actions = [e["action"] for e in events]
    assert actions == ["submit", "attach_component", "receive", "forward", "request_supplement"] or \
        actions == ["submit", "receive", "forward", "request_supplement"]
    assert [e["status_after"] for e in events if e["action"] != "attach_component"] == [1, 2, 4, 5]
    supplement = events[-1]
    assert supplement["reason"] == REASON and supplement["data"] == {"components": ["Bản vẽ có chữ ký"]}
    # the officers see everything
    officer = str(api(province.specialist).get(f"/api/v1/dossiers/{dossier.code}/history/").json())
    assert NOTE in officer and "bien-ban-xac-minh" in officer


def test_api_dossier_hides_step_notes_from_the_applicant(province, dossier):
    mine = api(province.citizen).get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert NOTE not in str(mine)
    assert mine["pauses"][0]["reason"] == REASON
    assert NOTE in str(api(province.specialist).get(f"/api/v1/dossiers/{dossier.code}/").json())


def test_citizen_page_shows_reasons_not_notes(client, province, dossier):
    client.force_login(province.citizen)
    html = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert REASON in html and "Đang xử lý" in html
    assert NOTE not in html and "bien-ban-xac-minh" not in html
    assert client.get(f"/can-bo/ho-so/{dossier.code}/phieu/6.pdf").status_code == 404   # the internal control sheet
