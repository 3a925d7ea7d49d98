from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ thủ tục hành chính"

    def ready(self):
        from django.core import checks

        from . import clamav

        @checks.register(checks.Tags.security)
        def virus_scan_setting(app_configs=None, **kwargs):
            if not clamav.enabled():
                return [checks.Warning(
                    "MOTCUA_VIRUS_SCAN=off: uploaded files are stored without a virus scan (development only).",
                    hint="Set MOTCUA_VIRUS_SCAN=required and run clamd (./run clamd start).",
                    id="motcua.W001")]
            return []
