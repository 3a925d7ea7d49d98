"""Decision 766/QĐ-TTg (2022) indicator set, as data. Weights and thresholds are marked unconfirmed in
DOMAIN.md: they live here (and in later sets) so a change is a new set valid from a date, not a code edit.
Seed targets seen in provincial documents: online-dossier rate 85 %, digitised dossiers 100 %."""
from datetime import date
from decimal import Decimal as D

from django.db import migrations

GROUPS = [
    ("1", "Công khai, minh bạch", D(18)),
    ("2", "Tiến độ giải quyết", D(20)),
    ("3", "Dịch vụ công trực tuyến", D(12)),
    ("4", "Số hóa hồ sơ", D(22)),
    ("5", "Mức độ hài lòng", D(18)),
    ("TT", "Thanh toán trực tuyến", D(10)),
]

NO_DATA = "Dữ liệu hệ thống chưa hỗ trợ: "
# group, code, name, formula, max points, threshold, params, support, note
INDICATORS = [
    ("1", "1.1", "Công bố, công khai thủ tục hành chính đúng hạn", "unsupported", D(4), D(1), {}, "none",
     NO_DATA + "hệ thống không lưu quyết định công bố thủ tục và thời hạn công bố."),
    ("1", "1.2", "Cập nhật thủ tục lên Cơ sở dữ liệu quốc gia đúng hạn", "unsupported", D(4), D(1), {}, "none",
     NO_DATA + "chưa kết nối Cơ sở dữ liệu quốc gia về thủ tục hành chính."),
    ("1", "1.3", "Thủ tục có hồ sơ đầy đủ, chính xác trong danh mục", "catalog_complete", D(5), D(1),
     {"require": ["legal_basis", "result_type", "requirements", "components", "steps", "time_value"]},
     "catalog", "Tỷ lệ thủ tục đang áp dụng của cơ quan có đủ căn cứ pháp lý, kết quả, yêu cầu điều kiện, "
                "thành phần hồ sơ, quy trình nội bộ và thời hạn giải quyết."),
    ("1", "1.4", "Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia", "unsupported", D(5), D(1), {}, "none",
     NO_DATA + "chưa có kết nối đồng bộ trạng thái hồ sơ với Cổng Dịch vụ công quốc gia."),
    ("2", "2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "on_time", D(14), D(1), {}, "dossiers",
     "(đúng hạn + chưa đến hạn tại cuối kỳ) / (tiếp nhận trong kỳ + kỳ trước chuyển sang), không tính hồ sơ công dân rút. Kết thúc là thời điểm "
     "sớm nhất trong: xử lý xong, trả kết quả, dừng/từ chối; trừ thời gian chờ bổ sung; yêu cầu bổ sung quá một "
     "lần tính là trễ hạn; gia hạn không làm hồ sơ trễ thành đúng hạn."),
    ("2", "2.2", "Thời gian giải quyết trung bình theo thủ tục không vượt quy định", "avg_time", D(6), D(1), {},
     "dossiers", "Tỷ lệ thủ tục (có hồ sơ xử lý xong trong kỳ) có thời gian giải quyết trung bình (giờ làm việc, "
                 "trừ thời gian tạm dừng) không vượt thời hạn quy định."),
    ("3", "3.1", "Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến", "online_procedures", D(4), D("0.8"),
     {"levels": ["full", "partial"]}, "catalog", "Đạt tối đa khi từ 80 %; dưới đó điểm x tỷ lệ / 80 %."),
    ("3", "3.2", "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến", "online_used", D(4), D(1),
     {"levels": ["full", "partial"]}, "dossiers", ""),
    ("3", "3.3", "Tỷ lệ hồ sơ trực tuyến", "online_dossiers", D(4), D("0.5"), {}, "dossiers",
     "Hồ sơ nộp trực tuyến / hồ sơ tiếp nhận trong kỳ; đạt tối đa khi từ 50 %."),
    ("TT", "3.5", "Tỷ lệ thủ tục có phí, lệ phí được thanh toán trực tuyến", "online_payment_procedures", D(5),
     D("0.8"), {}, "dossiers", "Thủ tục có phí, lệ phí phát sinh thanh toán trực tuyến trong kỳ; đạt tối đa khi từ 80 %."),
    ("TT", "3.6", "Tỷ lệ hồ sơ thanh toán trực tuyến", "online_payments", D(5), D(1), {}, "dossiers",
     "Hồ sơ tiếp nhận trong kỳ có thanh toán qua Cổng quốc gia hoặc cổng thanh toán của tỉnh / hồ sơ có thanh toán."),
    ("4", "4.1", "Tỷ lệ hồ sơ có kết quả điện tử", "e_results", D(6), D(1), {"require_signed": True}, "dossiers",
     "Hồ sơ xử lý xong trong kỳ có tệp kết quả được ký số."),
    ("4", "4.2", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết", "digitised", D(8), D("0.8"), {}, "dossiers",
     "Hồ sơ xử lý xong trong kỳ có cả tệp thành phần hồ sơ và tệp kết quả; đạt tối đa khi từ 80 %."),
    ("4", "4.3", "Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa", "unsupported", D(4), D("0.8"), {}, "none",
     NO_DATA + "hệ thống chưa ghi nhận việc tái sử dụng kết quả số hóa từ kho dữ liệu."),
    ("4", "4.4", "Kết nối kho quản lý dữ liệu điện tử của tổ chức, cá nhân", "unsupported", D(2), D(1), {}, "none",
     NO_DATA + "chưa kết nối kho dữ liệu điện tử của tổ chức, cá nhân."),
    ("4", "4.5", "Sử dụng Cơ sở dữ liệu quốc gia về dân cư", "unsupported", D(2), D(1), {}, "none",
     NO_DATA + "chưa kết nối Cơ sở dữ liệu quốc gia về dân cư."),
    ("5", "5.1", "Tiếp nhận, xử lý phản ánh, kiến nghị (theo nhóm)", "feedback_handled", D(3), D(1), {}, "feedback",
     "Số phản ánh theo nhóm; điểm theo tỷ lệ phản ánh tiếp nhận trong kỳ đã được xử lý hoặc từ chối có lý do."),
    ("5", "5.2", "Xử lý phản ánh, kiến nghị đúng thời hạn", "feedback_timely", D(5), D(1),
     {"processed_days": 15, "rejected_days": 2, "supplement_days": 5, "published_days": 2}, "feedback",
     "Xử lý trong 15 ngày làm việc, từ chối trong 2, yêu cầu bổ sung trong 5, công khai trong 2."),
    ("5", "5.3", "Mức độ hài lòng với việc xử lý phản ánh, kiến nghị", "feedback_satisfaction", D(4), D(1),
     {"satisfied_from": 4}, "feedback", "Tỷ lệ đánh giá hài lòng (4-5 trên 5) trên số phản ánh được đánh giá."),
    ("5", "5.4", "Mức độ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính", "satisfaction", D(6), D("0.9"),
     {"negative_max_score": 2}, "dossiers",
     "100 % - (tỷ lệ trễ hạn + tỷ lệ hồ sơ có phản ánh hoặc đánh giá không hài lòng); đạt tối đa khi từ 90 %."),
]

TARGETS = [("3.3", D("0.85"), "Chỉ tiêu tỷ lệ hồ sơ trực tuyến của tỉnh"),
           ("4.2", D("1"), "Chỉ tiêu số hóa hồ sơ, kết quả giải quyết của tỉnh")]


def load(apps, schema_editor):
    Set = apps.get_model("indicators", "IndicatorSet")
    Group = apps.get_model("indicators", "IndicatorGroup")
    Definition = apps.get_model("indicators", "IndicatorDefinition")
    Target = apps.get_model("indicators", "Target")
    s = Set.objects.create(code="766-2022-v1", name="Bộ chỉ số phục vụ người dân, doanh nghiệp",
                           legal_basis="Quyết định 766/QĐ-TTg ngày 23/6/2022", valid_from=date(2022, 1, 1))
    groups = {}
    for order, (code, name, weight) in enumerate(GROUPS, start=1):
        groups[code] = Group.objects.create(set=s, code=code, name=name, weight=weight, order=order)
    for order, (g, code, name, formula, points, threshold, params, support, note) in enumerate(INDICATORS, 1):
        Definition.objects.create(set=s, group=groups[g], code=code, name=name, formula=formula, max_points=points,
                                  threshold=threshold, params=params, support=support, note=note, order=order)
    for code, value, source in TARGETS:
        Target.objects.create(agency=None, indicator=code, value=value, valid_from=date(2022, 1, 1), source=source)


def unload(apps, schema_editor):
    apps.get_model("indicators", "Target").objects.filter(agency=None).delete()
    apps.get_model("indicators", "IndicatorSet").objects.filter(code="766-2022-v1").delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
