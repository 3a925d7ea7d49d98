"""Digital signatures (ký số): PAdES signing of PDFs with keys from pluggable sources, Decree 30 signature
appearances, a per-agency certificate registry, and verification for everyone.

The core (`pdf.sign_pdf`, `pdf.verify_pdf`, `appearance`, `keys`) does not touch the database; the Django
side (`models`, `services`, `api`, `views`) builds on it."""
