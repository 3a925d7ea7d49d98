"""API test fixtures: clients authenticated with real tokens, a dossier of Sở Xây dựng."""
import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.dossiers import services


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()     # throttle counters live in the cache
    yield
    cache.clear()


@pytest.fixture
def client_for(db):
    """client_for(user) -> APIClient sending `Authorization: Token ...`; client_for(None) is anonymous."""
    def make(user):
        client = APIClient()
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client
    return make


@pytest.fixture
def dossier(province, actors, intake_data):
    """A dossier of agency A (Sở Xây dựng), received at its counter: status 2, at step 1."""
    d, _replayed = services.intake(actors["receiver"], intake_data)
    return d
