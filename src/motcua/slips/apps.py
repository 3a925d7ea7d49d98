from django.apps import AppConfig


class SlipsConfig(AppConfig):
    name = "motcua.slips"
    label = "slips"
    verbose_name = "Phiếu, sổ theo Thông tư 03/2025/TT-VPCP"
