"""The bulk scanning page in headless Chromium: an officer uploads two scans at once, the worker reads them,
and the progress list (aria-live, polled while jobs are open) shows the outcome without a reload; the page
passes axe."""
import pytest

from motcua.integrations.worker import run_jobs

from .conftest import axe_violations, login, submit
from ..ocr import samples

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_uploads_scans_and_watches_them_finish(new_page, province, tmp_path):
    blank = tmp_path / "trang-trang.png"
    blank.write_bytes(samples.png(samples.page([])))
    low = tmp_path / "anh-mo.png"
    low.write_bytes(samples.png(samples.page(), dpi=100))
    page = new_page()
    login(page, "tiepnhan", "pw-tiepnhan")
    page.goto("/can-bo/so-hoa/")
    assert axe_violations(page) == []
    page.set_input_files("#ocr-files", [str(blank), str(low)])
    submit(page, "main form button[type=submit]")
    assert "Đã nhận 2 tệp để số hóa" in page.content()
    rows = page.locator("#ocr-progress tr[data-ocr-job]")
    assert rows.count() == 2 and page.locator("#ocr-progress[hx-trigger]").count() == 1
    run_jobs()
    # the polled list updates itself: no reload
    page.locator('#ocr-progress tr[data-state="blank"]').wait_for()
    page.locator('#ocr-progress tr[data-state="failed"]').wait_for()
    assert "dưới mức tối thiểu" in page.locator("#ocr-progress").inner_text()
    assert page.locator("#ocr-progress[hx-trigger]").count() == 0      # polling stops when all are final
    assert axe_violations(page) == []
