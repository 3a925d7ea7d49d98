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
