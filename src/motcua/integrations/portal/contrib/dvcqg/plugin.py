"""The DVCQG provider: every act of a dossier becomes DongBoHoSoMC (create, then isUpdating=True) and
CapNhatTienDoHoSoMC (the new progress items, in chunks of 10)."""
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, HistoryEvent
from motcua.integrations import mapping
from motcua.integrations.models import RemoteDossier
from motcua.integrations.portal.base import NationalPortalPlugin, Permanent
from motcua.integrations.portal.registry import register

from . import cards, payload, spec
from .client import AlreadyExists, Client


@register("dvcqg")
class DvcqgPlugin(NationalPortalPlugin):
    verbose_name = "Cổng Dịch vụ công quốc gia"

    def __init__(self, client=None):
        self._client = client

    @property
    def client(self):
        if self._client is None:
            self._client = Client()
        return self._client

    def deliver(self, message):
        dossier = Dossier.objects.select_related("procedure", "procedure__field", "agency", "procedure__dvcqg_mapping",
                                                 "agency__dvcqg_mapping").get(pk=message.dossier_id)
        procedure_code = mapping.procedure_code(dossier.procedure)     # CannotMap when missing
        agency_ident = mapping.agency_code(dossier.agency)
        remote, _c = RemoteDossier.objects.get_or_create(integration=message.integration, dossier=dossier)
        if not remote.remote_code:
            remote.remote_code = payload.remote_code_for(dossier, agency_ident)
            remote.save(update_fields=["remote_code"])
        item = payload.dossier_item(dossier, status=message.status, remote_code=remote.remote_code,
                                    procedure_code=procedure_code, agency_ident=agency_ident, events=None)
        mid = message.message_id
        params = {"MaDinhDanhDV": agency_ident}
        try:
            self.client.call("DongBoHoSoMC", [item], {**params, "isUpdating": str(remote.created_remotely)},
                             message_id=f"{mid}:DongBoHoSoMC")
        except AlreadyExists:
            # created by an earlier attempt whose answer was lost (or by DVCQG itself): update instead
            self.client.call("DongBoHoSoMC", [item], {**params, "isUpdating": "True"}, message_id=f"{mid}:DongBoHoSoMC:u")
        if not remote.created_remotely:
            remote.created_remotely = True
            remote.save(update_fields=["created_remotely"])
        events = list(HistoryEvent.objects.filter(dossier=dossier, seq__gt=remote.progress_seq, seq__lte=message.seq)
                      .order_by("seq"))
        items = payload.progress_items(dossier, events, remote_code=remote.remote_code, unit_name=dossier.agency.name)
        for i in range(0, len(items), spec.PROGRESS_CHUNK):
            chunk = items[i:i + spec.PROGRESS_CHUNK]
            first, last = chunk[0]["_seq"], chunk[-1]["_seq"]
            body = [{k: v for k, v in it.items() if not k.startswith("_")} for it in chunk]
            self.client.call("CapNhatTienDoHoSoMC", body, params, message_id=f"{mid}:CapNhatTienDoHoSoMC:{first}-{last}")
            remote.progress_seq = last
            if i + spec.PROGRESS_CHUNK < len(items):   # more chunks: remember the sent ones now
                RemoteDossier.objects.filter(pk=remote.pk).update(progress_seq=last)
        RemoteDossier.objects.filter(pk=remote.pk).update(progress_seq=remote.progress_seq, synced_seq=message.seq,
                                                          synced_at=timezone.now())

    # ---------------------------------------------------------------- inbound (polling)
    def list_new(self):
        data = self.client.call("LayDanhSachHoSoMoi", {}, {})
        codes = data.get("data") or []
        return [str(c.get("MaHoSo") if isinstance(c, dict) else c) for c in codes]

    def fetch(self, remote_code):
        data = self.client.call("LayHoSo", {"MaHoSo": remote_code}, {})
        return data.get("data")

    def acknowledge(self, remote_code):
        self.client.call("XacNhanHoSo", {"MaHoSo": remote_code}, {})

    # ---------------------------------------------------------------- procedure cards (LayThuTuc)
    def procedure_codes(self):
        conf = cards.CardConfig.from_settings()
        data = self.client.share(conf.list_service, dict(conf.list_args), result_key=conf.list_result_key)
        items = data.get(conf.list_result_key)
        if not isinstance(items, list):
            raise cards.BadCard("not_a_list", _("Danh sách thủ tục từ Cổng DVCQG không đúng cấu trúc."))
        return [str(i.get(conf.list_code_field) or "").strip() if isinstance(i, dict) else str(i or "").strip()
                for i in items]

    def procedure_card(self, remote_code):
        """The card for `remote_code`, checked (cards.BadCard), or Transient when DVCQG cannot answer now."""
        conf = cards.CardConfig.from_settings()
        try:
            data = self.client.share(conf.card_service, {conf.code_arg: remote_code}, result_key=conf.result_key)
        except Permanent as exc:
            raise cards.BadCard("remote_refused", exc.reason) from None
        result = data.get(conf.result_key)
        if isinstance(result, dict):
            result = [result]
        if not isinstance(result, list):
            raise cards.BadCard("not_a_card", _("Cổng DVCQG trả về dữ liệu không phải phiếu thủ tục."))
        if not result:
            raise cards.BadCard("not_found", _("Cổng DVCQG không có thủ tục mã %(c)s.") % {"c": remote_code})
        return cards.parse_card(result[0], remote_code, conf)
