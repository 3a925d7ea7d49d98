"""Decree 30/2020, Appendix III: document types and their symbols (name, symbol, edXML Type code)."""
TYPES = [
    ("Công văn", "", 1), ("Nghị quyết", "NQ", 0), ("Quyết định", "QĐ", 0), ("Chỉ thị", "CT", 0),
    ("Quy chế", "QC", 0), ("Quy định", "QyĐ", 0), ("Thông cáo", "TC", 0), ("Thông báo", "TB", 0),
    ("Hướng dẫn", "HD", 0), ("Chương trình", "CTr", 0), ("Kế hoạch", "KH", 0), ("Phương án", "PA", 0),
    ("Đề án", "ĐA", 0), ("Dự án", "DA", 0), ("Báo cáo", "BC", 0), ("Biên bản", "BB", 0), ("Tờ trình", "TTr", 0),
    ("Hợp đồng", "HĐ", 0), ("Công điện", "CĐ", 0), ("Bản ghi nhớ", "BGN", 0), ("Bản thỏa thuận", "BTT", 0),
    ("Giấy ủy quyền", "GUQ", 0), ("Giấy mời", "GM", 0), ("Giấy giới thiệu", "GGT", 0), ("Giấy nghỉ phép", "GNP", 0),
    ("Phiếu gửi", "PG", 0), ("Phiếu chuyển", "PC", 0), ("Phiếu báo", "PB", 0),
]


def ensure_types(model=None):
    """Create the standard types that are missing (the data migration, and tests after a flush)."""
    if model is None:
        from .models import DocumentType as model
    for name, symbol, edxml_type in TYPES:
        model.objects.get_or_create(name=name, defaults={"symbol": symbol, "edxml_type": edxml_type})


# Retention (Maintenance) per document type, in years (0: permanent). Defaults after Circular 10/2022/TT-BNV's
# broad classes, NOT confirmed per row: the agency's own retention table wins (edit RetentionRule rows).
RETENTION = {
    "Nghị quyết": 0, "Quyết định": 0, "Chỉ thị": 0, "Quy chế": 0, "Quy định": 0, "Đề án": 0, "Dự án": 0,
    "Chương trình": 20, "Kế hoạch": 20, "Báo cáo": 20, "Phương án": 20, "Hướng dẫn": 20, "Tờ trình": 20,
    "Biên bản": 20, "Hợp đồng": 20, "Bản ghi nhớ": 20, "Bản thỏa thuận": 20, "Thông cáo": 10, "Thông báo": 10,
    "Công văn": 10, "Công điện": 10, "Giấy ủy quyền": 10, "Giấy mời": 5, "Giấy giới thiệu": 5,
    "Giấy nghỉ phép": 5, "Phiếu gửi": 5, "Phiếu chuyển": 5, "Phiếu báo": 5,
}


def ensure_retention(type_model=None, rule_model=None):
    if type_model is None:
        from .models import DocumentType as type_model
        from .models import RetentionRule as rule_model
    for t in type_model.objects.filter(name__in=RETENTION):
        rule_model.objects.get_or_create(doc_type=t, defaults={"years": RETENTION[t.name]})
