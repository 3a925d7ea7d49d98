"""The public procedure catalogue (/thu-tuc/): accent-free search, and filters by agency, field and online
level, each offered with its choices and kept selected."""
import html
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _codes(page):
    return sorted(set(re.findall(r"\b(1\.009974|2\.000908)\b", page)))


def test_the_catalogue_offers_its_filters_and_applies_them(province):
    c = Client()
    page = html.unescape(c.get("/thu-tuc/").content.decode())
    assert _codes(page) == ["1.009974", "2.000908"]
    level_select = re.search(r'<select id="cat-level" name="level">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"', level_select) == ["", "full", "partial", "none"]
    assert ">Toàn trình<" in level_select and ">Không trực tuyến<" in level_select

    # the agencies offered are those with procedures (not the centre, which decides none)
    agency_select = re.search(r'<select id="cat-agency" name="agency">(.*?)</select>', page, re.S).group(1)
    assert sorted(re.findall(r'<option value="([^"]*)"', agency_select)) == ["", province.sxd.code, province.stp.code]
    full = html.unescape(c.get("/thu-tuc/?level=full").content.decode())
    assert _codes(full) == ["1.009974"]
    assert re.search(r'<option value="full" selected>', full)
    assert "<td>Toàn trình</td>" in full                      # each row names its level
    assert _codes(html.unescape(c.get("/thu-tuc/?q=chung thuc ban sao").content.decode())) == ["2.000908"]
    assert _codes(html.unescape(c.get(f"/thu-tuc/?agency={province.stp.code}").content.decode())) == ["2.000908"]
