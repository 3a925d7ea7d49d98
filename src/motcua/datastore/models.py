"""The citizen's data store (kho dữ liệu): digitised documents filed under their owner, and their reuse by
later dossiers. State changes only through motcua.datastore.services.

`DigitisedDocument` follows the metadata a real provincial system keeps (ThanhHoa's GiayToSoHoa, see
../shared/INTEGRATIONS.md §4.2); `Reuse` records that a dossier's component was satisfied from the store,
which gives the DVCQG component flags DuocSoHoa, DuocTaiSuDung, DuocLayTuKhoDMQG and MaKetQuaThayThe."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OwnerKind(models.TextChoices):
    CITIZEN = "citizen", _("Cá nhân (số định danh/CCCD)")
    ORGANISATION = "organisation", _("Tổ chức (mã số thuế)")


class Source(models.TextChoices):
    """LoaiSoHoa: how the document came into the store."""
    CERTIFIED_COPY = "certified_copy", _("Bản sao điện tử được chứng thực từ thành phần hồ sơ")
    SIGNED_RESULT = "signed_result", _("Kết quả giải quyết đã ký số")
    SCANNED = "scanned", _("Bản quét số hóa tại bộ phận một cửa (chưa ký số)")
    NATIONAL_STORE = "national_store", _("Lấy từ kho dữ liệu trên Cổng DVCQG")


class DigitisedDocument(models.Model):
    """Giấy tờ số hóa. Never edited: re-filing the same component or result adds a new version (`version`,
    `previous`) and the older one stops being `current`."""
    owner_kind = models.CharField(max_length=12, choices=OwnerKind.choices)
    owner_id_number = models.CharField(_("số định danh chủ giấy tờ"), max_length=20, db_index=True)   # MaDinhDanh
    owner_name = models.CharField(_("chủ giấy tờ"), max_length=255)                                   # ChuGiayTo
    name = models.CharField(_("tên giấy tờ"), max_length=500)                                         # Ten
    paper_code = models.CharField(_("mã giấy tờ"), max_length=64, blank=True)                         # MaGiayTo
    result_code = models.CharField(_("mã kết quả"), max_length=64, blank=True)
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)                      # SoKyHieu
    issuing_agency = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)               # CoQuanBanHanh
    agency = models.ForeignKey("agencies.Agency", null=True, on_delete=models.PROTECT, related_name="+")  # DonViId
    signer = models.CharField(_("người ký"), max_length=255, blank=True)                              # NguoiKy
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)                           # NgayBanHanh
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)                          # ThoiHanHieuLuc
    permanent = models.BooleanField(_("hiệu lực vĩnh viễn"), default=False)                           # ThoiHanVinhVien
    scope = models.CharField(_("phạm vi hiệu lực"), max_length=255, blank=True)                       # PhamViHieuLuc
    summary = models.CharField(_("trích yếu nội dung"), max_length=1000, blank=True)                  # TrichYeuNoiDung
    ocr_text = models.TextField(_("nội dung nhận dạng (OCR)"), blank=True)                            # JsonOcr
    certified = models.BooleanField(_("đã chứng thực/ký số"), default=False)
    source = models.CharField(max_length=16, choices=Source.choices)                                   # LoaiSoHoa
    attachment = models.ForeignKey("dossiers.Attachment", null=True, on_delete=models.PROTECT,
                                   related_name="store_documents")                                     # DinhKem
    size = models.PositiveBigIntegerField(default=0)                                                   # DungLuong
    sha256 = models.CharField(max_length=64, blank=True)
    dossier = models.ForeignKey("dossiers.Dossier", null=True, on_delete=models.PROTECT,
                                related_name="store_documents")                                        # MaHoSo
    dossier_component = models.ForeignKey("dossiers.DossierComponent", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    procedure_code = models.CharField(max_length=40, blank=True)                                       # MaTTHC
    field_code = models.CharField(max_length=40, blank=True)                                           # MaLinhVuc
    digitised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")                                                 # NguoiSoHoa
    digitised_by_name = models.CharField(max_length=255, blank=True)
    digitised_at = models.DateTimeField()                                                              # ThoiGianSoHoa
    hidden_from_citizen = models.BooleanField(_("ẩn với công dân"), default=False)                    # AnGiayTo
    national_code = models.CharField(_("mã giấy tờ trong kho DVCQG"), max_length=100, blank=True)     # MaGiayToKhoQuocGia
    lineage = models.CharField(max_length=80, editable=False)
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="next")
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["owner_id_number", "-digitised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="uniq_store_document_version"),
            models.UniqueConstraint(fields=["lineage"], condition=models.Q(current=True),
                                    name="uniq_store_document_current"),
        ]
        indexes = [models.Index(fields=["owner_id_number", "current"], name="store_owner_current")]

    def __str__(self):
        return f"{self.name} ({self.number_symbol or self.pk})"

    def valid_on(self, day):
        return self.permanent or (self.valid_until is not None and self.valid_until >= day)


class Reuse(models.Model):
    """A dossier component satisfied from the store instead of an upload (one per component)."""
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="reuses")
    dossier_component = models.OneToOneField("dossiers.DossierComponent", on_delete=models.PROTECT,
                                             related_name="reuse")
    document = models.ForeignKey(DigitisedDocument, on_delete=models.PROTECT, related_name="reuses")
    attachment = models.OneToOneField("dossiers.Attachment", on_delete=models.PROTECT, related_name="reuse")
    from_national_store = models.BooleanField(default=False)                                # DuocLayTuKhoDMQG
    replaces_result_code = models.CharField(max_length=64, blank=True)                      # MaKetQuaThayThe
    reused_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reused_at = models.DateTimeField()

    class Meta:
        ordering = ["dossier", "id"]

    @property
    def reuse_flag(self):
        """DuocTaiSuDung: "2" when an earlier procedure's result replaced the component, "1" for another
        digitised paper (Motcua's reading of ThanhHoa's TrangThaiSoHoa 3 / 2; not confirmed by DVCQG)."""
        return "2" if self.replaces_result_code else "1"
