"""Search test fixtures: every after-commit indexing runs (pytest-django wraps each test in a transaction
that never commits, so the on_commit hooks are captured and executed)."""
import pytest

from tests.api.conftest import client_for  # noqa: F401  the API clients with real tokens


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """`with indexed(): act(...)` runs the act's after-commit indexing as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _document_types(db):
    from motcua.documents.defaults import ensure_types
    ensure_types()
