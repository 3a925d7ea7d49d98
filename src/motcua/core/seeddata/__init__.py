"""Data of the demo province loaded by `motcua seed` (agencies, staff, procedures, names)."""
