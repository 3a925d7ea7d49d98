"""API test fixtures: clients authenticated with real tokens, a dossier of Sở Xây dựng."""
import pytest
from rest_framework.test import APIClient

from motcua.agencies import tokens
from motcua.dossiers import services


@pytest.fixture
def client_for(db):
    """client_for(user) -> APIClient sending `Authorization: Token ...`; client_for(None) is anonymous."""
    def make(user):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user)}")
        return client
    return make


@pytest.fixture
def dossier(province, actors, intake_data):
    """A dossier of agency A (Sở Xây dựng), received at its counter: status 2, at step 1."""
    d, _replayed = services.intake(actors["receiver"], intake_data)
    return d
