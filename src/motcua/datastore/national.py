"""The national store (kho dữ liệu on DVCQG) behind one small interface, with a registry
(motcua.integrations.registry). Settings choose the provider: `MOTCUA_DATASTORE_NATIONAL = {"plugin":
"kho-dvcqg", "url": ..., "token": ..., "timeout": ...}` ('' / missing plugin = not connected).

Only reading is documented (../shared/INTEGRATIONS.md §4.2, ThanhHoa's KhoSoHoaDVCQG): results by owner and
result codes (`GetKetQuaGiayTo`), then each file (`GetGiayToByUrl`). Pushing a document into the citizen's
store has no known contract: `write` raises NotSupported in every plugin until one is published."""
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings

from motcua.integrations.registry import Registry

PLUGIN_MODULES = ("motcua.datastore.contrib.kho_dvcqg.plugin",)

register = Registry("national store")


class NationalStoreError(Exception):
    """`code` is machine-readable, the message Vietnamese."""

    def __init__(self, message, code="national_store_failed"):
        super().__init__(message)
        self.message, self.code = str(message), code


class NotSupported(NationalStoreError):
    def __init__(self, message):
        super().__init__(message, code="national_store_write_not_supported")


@dataclass
class NationalFile:
    name: str
    path: str


@dataclass
class NationalResult:
    """One document the national store holds (DanhSachGiayToKetQua[]); `owner_agency` is CoQuanChuQuan."""
    result_code: str
    name: str
    number_symbol: str
    owner_agency: str
    files: list = field(default_factory=list)


@dataclass
class Request:
    """Who asks for whose results: GetKetQuaGiayTo's fields in Motcua's words."""
    owner_id_number: str          # SoDinhDanhChuSoHuu
    requester_name: str           # HoTenNguoiYeuCau
    requester_id_number: str      # SoDinhDanhNguoiYeuCau
    channel: str                  # KenhThucHien: "2" the citizen online, "1" an official at the counter
    procedure_code: str           # MaThuTuc
    results: list                 # [(MaKetQua, SoKyHieu or "")]


class NationalStorePlugin:
    identifier = ""
    verbose_name = ""

    def results(self, request: Request) -> list:
        """The owner's documents with the asked result codes: a list of NationalResult."""
        raise NotImplementedError

    def file(self, result: NationalResult, f: NationalFile) -> bytes:
        """The bytes of one file of a result."""
        raise NotImplementedError

    def write(self, document):
        raise NotSupported("Chưa có đặc tả công khai để đẩy giấy tờ vào kho dữ liệu của công dân trên Cổng DVCQG; "
                           "Motcua chỉ đọc (GetKetQuaGiayTo, GetGiayToByUrl).")


def load_plugins():
    for module in PLUGIN_MODULES:
        import_module(module)


def config():
    return dict(getattr(settings, "MOTCUA_DATASTORE_NATIONAL", None) or {})


def enabled():
    load_plugins()
    ident = config().get("plugin", "")
    return register.get(ident) if ident and ident in register else None
