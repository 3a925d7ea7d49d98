"""Wrong passwords are limited per account and per client address: after the limit, even the right password
is refused for the lock-out time, with a clear Vietnamese message (429). Any login path through
authenticate() is covered."""
import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory


@pytest.fixture
def limits(settings):
    settings.MOTCUA_LOGIN_MAX_FAILURES_ACCOUNT = 5
    settings.MOTCUA_LOGIN_MAX_FAILURES_ADDRESS = 8
    settings.MOTCUA_LOGIN_LOCKOUT_MINUTES = 15


def login(ip, username, password):
    return Client(REMOTE_ADDR=ip).post("/dang-nhap/", {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_from_any_address(province, limits):
    for i in range(4):
        resp = login(f"192.0.2.{i}", "tiepnhan", f"sai-{i}")
        assert resp.status_code == 200 and "không đúng" in resp.content.decode()
    assert login("192.0.2.4", "tiepnhan", "sai-4").status_code == 429     # the 5th says so at once
    resp = login("198.51.100.1", "tiepnhan", "pw-tiepnhan")      # the right password, another address
    assert resp.status_code == 429
    text = resp.content.decode()
    assert "sai mật khẩu quá nhiều lần" in text and "15 phút" in text
    assert 14 * 60 < int(resp["Retry-After"]) <= 15 * 60 + 1
    # other accounts are not affected
    assert login("198.51.100.1", "chuyenvien", "pw-chuyenvien").status_code == 302


def test_one_address_guessing_many_accounts_is_locked(province, limits, django_user_model):
    names = [f"nguoi{i}" for i in range(9)]
    for name in names:
        django_user_model.objects.create_user(name, password="dung-mat-khau")
    for name in names[:8]:
        assert login("203.0.113.9", name, "sai").status_code in (200, 429)
    resp = login("203.0.113.9", names[8], "dung-mat-khau")
    assert resp.status_code == 429 and "thử lại sau" in resp.content.decode()
    assert login("203.0.113.10", names[8], "dung-mat-khau").status_code == 302   # another address may


def test_a_forged_x_forwarded_for_does_not_reset_the_address_count(province, limits, django_user_model):
    for i in range(8):
        django_user_model.objects.create_user(f"u{i}", password="x-dung")
        Client(REMOTE_ADDR="203.0.113.20", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").post(
            "/dang-nhap/", {"username": f"u{i}", "password": "sai"})
    resp = Client(REMOTE_ADDR="203.0.113.20", HTTP_X_FORWARDED_FOR="10.0.0.99").post(
        "/dang-nhap/", {"username": "u0", "password": "x-dung"})
    assert resp.status_code == 429


def test_a_successful_login_clears_the_account_count(province, limits):
    for _round in range(3):
        for i in range(4):
            login("192.0.2.50", "tiepnhan", f"sai-{i}")
        assert login("192.0.2.51", "tiepnhan", "pw-tiepnhan").status_code == 302


def test_authenticate_itself_refuses_a_locked_account(province, limits):
    rf = RequestFactory()
    for i in range(5):
        assert authenticate(rf.post("/", REMOTE_ADDR=f"192.0.2.{60 + i}"), username="tiepnhan", password="sai") is None
    assert authenticate(rf.post("/", REMOTE_ADDR="192.0.2.99"), username="tiepnhan", password="pw-tiepnhan") is None
    assert authenticate(rf.post("/", REMOTE_ADDR="192.0.2.99"), username="chuyenvien",
                        password="pw-chuyenvien") is not None
