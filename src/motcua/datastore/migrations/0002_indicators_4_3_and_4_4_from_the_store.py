"""The 2022 set's 4.3 (reuse of digitised data) and 4.4 (connection to the citizen's data store) are now
computed from the data store's records (motcua.datastore.figures), no longer "not supported"."""
from django.db import migrations

ROWS = {
    "4.3": ("REUSED_DIGITIZED_DATA",
            "Hồ sơ tiếp nhận trong kỳ có ít nhất một thành phần dùng lại giấy tờ trong kho dữ liệu / hồ sơ tiếp nhận "
            "trong kỳ; đạt tối đa khi từ 80 %."),
    "4.4": ("SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
            "Hồ sơ tiếp nhận trong kỳ đã số hóa có thành phần lấy từ kho dữ liệu trên Cổng DVCQG / hồ sơ tiếp nhận "
            "trong kỳ đã số hóa."),
}


def forward(apps, schema_editor):
    Definition = apps.get_model("indicators", "IndicatorDefinition")
    for code, (metric, note) in ROWS.items():
        Definition.objects.filter(code=code, formula="unsupported").update(
            formula="store", params={"metric": metric}, support="dossiers", note=note)


def backward(apps, schema_editor):
    Definition = apps.get_model("indicators", "IndicatorDefinition")
    Definition.objects.filter(code__in=list(ROWS), formula="store").update(formula="unsupported", params={},
                                                                          support="none")


class Migration(migrations.Migration):
    dependencies = [("datastore", "0001_initial"), ("indicators", "0004_fact_month_of_second_supplement_request")]
    operations = [migrations.RunPython(forward, backward)]
