"""The citizen's profile: checked inputs (CCCD, phone, email, tax code, two-level address), nothing
half-saved on a bad one, verified identity fields not editable, and the filing form pre-filled from it."""
from datetime import date

import pytest

from motcua.citizens import checks, services
from motcua.citizens.models import Profile
from motcua.core.errors import DomainError, NotAllowed, ValidationFailed

pytestmark = pytest.mark.django_db

CCCD = "001090012345"      # Hà Nội, male born 1990


@pytest.mark.parametrize("raw, normal", [
    ("0912 345 678", "84912345678"), ("+84 912.345.678", "84912345678"), ("84912345678", "84912345678"),
    ("(024) 3825 1234", "842438251234"), ("0385-123-456", "84385123456")])
def test_phone_numbers_are_normalised_to_84(raw, normal):
    assert checks.normalise_phone(raw) == normal


@pytest.mark.parametrize("raw", ["12345", "0112345678", "+1 202 555 0100", "09l2345678", "0912 345 6789 1", "٠٩١٢٣٤٥٦٧٨"])
def test_strange_phone_formats_are_refused_with_a_code(raw):
    with pytest.raises(ValidationFailed) as e:
        checks.normalise_phone(raw)
    assert e.value.code == "phone_invalid" and "điện thoại" in e.value.message


def test_cccd_rules():
    assert checks.check_cccd("001 090 012 345") == CCCD
    assert checks.check_cccd("079203001234", date(2003, 5, 1)) == "079203001234"   # 2: male born 2000s
    for bad, code in [("00109001234", "cccd_invalid"), ("00109001234a", "cccd_invalid"),
                      ("003090012345", "cccd_province_invalid"), ("001299012345", "cccd_invalid")]:
        with pytest.raises(ValidationFailed) as e:
            checks.check_cccd(bad, today=date(2026, 1, 1))
        assert e.value.code == code, bad
    with pytest.raises(ValidationFailed) as e:
        checks.check_cccd(CCCD, date(1991, 1, 1))
    assert e.value.code == "cccd_birth_year_mismatch"


def test_tax_codes():
    assert checks.check_tax_code("0101234567") == "0101234567"
    assert checks.check_tax_code("0101234567001") == "0101234567-001"
    with pytest.raises(ValidationFailed):
        checks.check_tax_code("01012345")


def test_update_profile_saves_normalised_values(province):
    user = province.citizen
    p = services.update_profile(user, {
        "full_name": "  Nguyễn   Văn An ", "id_number": CCCD, "birth_date": "1990-02-03", "phone": "0912 345 678",
        "email": "An@Example.vn", "province_code": "01", "commune": "Phường Ba Đình", "street": "12 Phố Huế",
        "notify_channels": ["sms", "email", "sms"], "result_delivery": "postal"})
    p.refresh_from_db()
    assert (p.full_name, p.id_number, p.birth_date, p.phone, p.email) == (
        "Nguyễn Văn An", CCCD, date(1990, 2, 3), "84912345678", "an@example.vn")
    assert p.notify_channels == ["email", "sms"]
    assert p.address == "12 Phố Huế, Phường Ba Đình, Thành phố Hà Nội"
    user.refresh_from_db()
    assert user.email == "an@example.vn" and user.first_name == "Nguyễn Văn An"


@pytest.mark.parametrize("data, code", [
    ({"id_number": "12345"}, "cccd_invalid"),
    ({"id_number": CCCD, "birth_date": "1985-01-01"}, "cccd_birth_year_mismatch"),
    ({"phone": "abc"}, "phone_invalid"),
    ({"email": "not-an-email"}, "email_invalid"),
    ({"province_code": "99", "commune": "X"}, "province_invalid"),
    ({"province_code": "01"}, "commune_required"),
    ({"notify_channels": ["fax"]}, "notify_channels_invalid"),
    ({"notify_channels": ["zalo"], "phone": ""}, "phone_required"),
    ({"result_delivery": "postal"}, "delivery_address_required"),
    ({"tax_code": "12"}, "tax_code_invalid"),
    ({"verified_by": "me"}, "field_not_editable"),
])
def test_a_bad_value_saves_nothing(province, data, code):
    services.update_profile(province.citizen, {"full_name": "Trần Thị Bình", "phone": "0987654321"})
    before = Profile.objects.values().get(user=province.citizen)
    with pytest.raises(DomainError) as e:
        services.update_profile(province.citizen, dict(data, full_name="Đổi tên"))
    assert e.value.code == code
    assert Profile.objects.values().get(user=province.citizen) == before


def test_verified_identity_fields_are_not_editable_by_the_citizen(province):
    ident = services.verified_identity("VNeID", id_number=CCCD, full_name="Nguyễn Văn An", birth_date=date(1990, 2, 3))
    services.mark_verified(province.citizen, ident)
    with pytest.raises(NotAllowed) as e:
        services.update_profile(province.citizen, {"id_number": "001090099999"})
    assert e.value.code == "identity_verified"
    p = services.update_profile(province.citizen, {"phone": "0912345678", "id_number": CCCD})   # same value is fine
    assert p.is_verified and p.verified_by == "VNeID" and p.phone == "84912345678"


def test_one_verified_cccd_belongs_to_one_account(province, django_user_model):
    ident = services.verified_identity("VNeID", id_number=CCCD, full_name="Nguyễn Văn An")
    services.mark_verified(province.citizen, ident)
    other = django_user_model.objects.create_user(username="khac")
    with pytest.raises(DomainError) as e:
        services.mark_verified(other, ident)
    assert e.value.code == "identity_taken"
    assert not Profile.objects.filter(user=other).exists()


def test_profile_page_saves_and_shows_errors(client, province):
    client.force_login(province.citizen)
    assert client.get("/ho-so-ca-nhan/").status_code == 200
    resp = client.post("/ho-so-ca-nhan/", {"full_name": "Lê Văn C", "id_number": "0010900123", "phone": "0912345678",
                                           "notify_channels": ["email"], "email": "c@example.vn"})
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "12 chữ số" in body and 'data-code="cccd_invalid"' in body
    assert not Profile.objects.filter(user=province.citizen).exists()
    resp = client.post("/ho-so-ca-nhan/", {"full_name": "Lê Văn C", "id_number": CCCD, "phone": "0912345678",
                                           "notify_channels": ["email", "zalo"], "email": "c@example.vn",
                                           "province_code": "01", "commune": "Phường Hoàn Kiếm", "street": "1 Tràng Tiền",
                                           "result_delivery": "counter", "next": "https://evil.example/"})
    assert resp.status_code == 302 and resp["Location"] == "/ho-so-ca-nhan/"
    p = Profile.objects.get(user=province.citizen)
    assert p.notify_channels == ["email", "zalo"] and p.phone == "84912345678"


def test_filing_form_is_prefilled_from_the_profile_and_correctable(client, province):
    services.update_profile(province.citizen, {
        "full_name": "Nguyễn Văn An", "id_number": CCCD, "phone": "84912345678", "email": "an@example.vn",
        "province_code": "01", "commune": "Phường Ba Đình", "street": "12 Phố Huế", "result_delivery": "postal"})
    client.force_login(province.citizen)
    body = client.get(f"/thu-tuc/{province.proc.code}/nop/").content.decode()
    assert f'value="{CCCD}"' in body and 'value="0912345678"' in body and 'value="an@example.vn"' in body
    assert 'value="12 Phố Huế, Phường Ba Đình, Thành phố Hà Nội"' in body
    assert 'value="postal" checked' in body
