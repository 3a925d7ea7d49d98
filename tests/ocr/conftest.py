import pytest

from motcua.dossiers import services as dossiers

from ..conftest import at


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def counter_dossier(province, actors, intake_data, media):
    d, _ = dossiers.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    return d


@pytest.fixture
def scan_of(counter_dossier, actors):
    """Attach bytes as the first component's scan of the counter dossier (the officer's upload)."""
    def attach(content, filename="don-de-nghi.png"):
        from motcua.dossiers.models import Dossier
        d = Dossier.objects.get(pk=counter_dossier.pk)
        comp = d.components.order_by("pk").first()
        return dossiers.attach(actors["receiver"], d.code, kind="component", filename=filename, content=content,
                               component_id=comp.pk)
    return attach
