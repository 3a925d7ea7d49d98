"""`kho-dvcqg`: DVCQG's digitised-results store (KhoSoHoaDVCQG) as the ThanhHoa client calls it
(../shared/INTEGRATIONS.md §4.2): POST {url}/GetKetQuaGiayTo, then POST {url}/GetGiayToByUrl per file.
Authentication is not documented: a bearer token from settings (`token`) when set. GetGiayToByUrl's answer
format is not documented either: the raw file, or JSON with the file in base64 (`data`), are both read."""
import base64
import json
import urllib.error
import urllib.request

from ...national import NationalFile, NationalResult, NationalStoreError, NationalStorePlugin, config, register

MAX_FILE = 50 * 1024 * 1024


def _post(path, body, *, raw=False):
    c = config()
    url = str(c.get("url", "")).rstrip("/")
    if not url:
        raise NationalStoreError("Chưa cấu hình địa chỉ kho dữ liệu trên Cổng DVCQG.", code="national_store_not_configured")
    headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
    if c.get("token"):
        headers["Authorization"] = f"Bearer {c['token']}"
    req = urllib.request.Request(f"{url}/{path}", data=json.dumps(body, ensure_ascii=False).encode(),
                                 headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=float(c.get("timeout", 10))) as resp:
            data = resp.read(MAX_FILE + 1)
            ctype = resp.headers.get("Content-Type", "")
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as e:
        raise NationalStoreError(f"Kho dữ liệu trên Cổng DVCQG không trả lời: {e}",
                                 code="national_store_unavailable") from e
    if len(data) > MAX_FILE:
        raise NationalStoreError("Tệp từ kho dữ liệu quá lớn.", code="national_store_file_too_large")
    if raw and not ctype.startswith("application/json"):
        return data
    try:
        answer = json.loads(data)
    except ValueError as e:
        raise NationalStoreError("Kho dữ liệu trên Cổng DVCQG trả lời không đúng định dạng.",
                                 code="national_store_bad_answer") from e
    if not isinstance(answer, dict) or str(answer.get("errorCode", "")) not in ("0", ""):
        message = answer.get("message") if isinstance(answer, dict) else ""
        raise NationalStoreError(f"Kho dữ liệu trên Cổng DVCQG từ chối: {message or answer}",
                                 code="national_store_refused")
    return answer


@register("kho-dvcqg")
class KhoDVCQG(NationalStorePlugin):
    verbose_name = "Kho số hóa kết quả trên Cổng DVCQG (KhoSoHoaDVCQG)"

    def results(self, request):
        answer = _post("GetKetQuaGiayTo", {
            "SoDinhDanhChuSoHuu": request.owner_id_number, "HoTenNguoiYeuCau": request.requester_name,
            "KenhThucHien": request.channel, "SoDinhDanhNguoiYeuCau": request.requester_id_number,
            "MaThuTuc": request.procedure_code,
            "DanhSachDanhMucKetQua": [{"MaKetQua": code, "SoKyHieu": number or ""}
                                      for code, number in request.results]})
        items = ((answer.get("result") or {}).get("DanhSachGiayToKetQua")) or []
        out = []
        for it in items if isinstance(items, list) else []:
            if not isinstance(it, dict) or not it.get("MaKetQua"):
                continue
            files = [NationalFile(str(f.get("TenTep") or ""), str(f.get("DuongDan") or ""))
                     for f in it.get("DanhSachTepDinhKem") or [] if isinstance(f, dict) and f.get("DuongDan")]
            out.append(NationalResult(str(it["MaKetQua"]), str(it.get("TenGiayTo") or ""),
                                      str(it.get("SoKyHieu") or ""), str(it.get("CoQuanChuQuan") or ""), files))
        return out

    def file(self, result, f):
        data = _post("GetGiayToByUrl", {"CoQuanChuQuan": result.owner_agency, "DuongDan": f.path,
                                        "TenTep": f.name}, raw=True)
        if isinstance(data, dict):
            try:
                return base64.b64decode(data.get("data") or (data.get("result") or {}).get("data") or "",
                                        validate=True)
            except (ValueError, AttributeError) as e:
                raise NationalStoreError("Tệp từ kho dữ liệu không đọc được.", code="national_store_bad_answer") from e
        return data
