"""Kept for callers of the old name: the checks live in motcua.dossiers.uploads."""
from .uploads import TYPES, check_upload, sniff  # noqa: F401
