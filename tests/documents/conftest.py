import pytest


@pytest.fixture(autouse=True)
def _document_types(db):
    """The Decree 30 types come from a data migration, which a transactional test's flush removes."""
    from motcua.documents.defaults import ensure_types
    ensure_types()
