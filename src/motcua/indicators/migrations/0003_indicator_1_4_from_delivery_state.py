"""1.4 "Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia" is now computed from the delivery state
(motcua.integrations): the DVCQG sync exists. Same rule as DVCQG's DOSSIER_SYNC metric."""
from django.db import migrations

NOTE = ("Hồ sơ nộp trong kỳ đã đồng bộ lên Cổng DVCQG (ít nhất một thông điệp đã gửi thành công và không còn "
        "thông điệp nào chờ gửi, đang thử lại, thất bại hoặc chưa ánh xạ) / hồ sơ nộp trong kỳ; cùng quy tắc với "
        "chỉ số DOSSIER_SYNC của Cổng DVCQG.")
OLD_NOTE = "Dữ liệu hệ thống chưa hỗ trợ: chưa có kết nối đồng bộ trạng thái hồ sơ với Cổng Dịch vụ công quốc gia."


def forward(apps, schema_editor):
    apps.get_model("indicators", "IndicatorDefinition").objects.filter(code="1.4", formula="unsupported").update(
        formula="dossier_sync", support="dossiers", note=NOTE)


def backward(apps, schema_editor):
    apps.get_model("indicators", "IndicatorDefinition").objects.filter(code="1.4", formula="dossier_sync").update(
        formula="unsupported", support="none", note=OLD_NOTE)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_decision_766_v1"), ("integrations", "0001_outbox_mappings_inbound")]
    operations = [migrations.RunPython(forward, backward)]
