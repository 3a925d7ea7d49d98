"""The search index: one row per searchable object (a dossier, one of its components, a result file, an
official document), derived data kept up to date after each commit by `services.index` and rebuilt by
`motcua search-reindex`. Never edited by hand.

`body` is the folded text (see text.py) that the full-text index covers: on PostgreSQL a GIN index on
to_tsvector('simple', body), on SQLite the FTS5 table `search_entry_fts` (external content, kept in step by
triggers). Both are created by migration 0001 for their own database only."""
from django.db import models


class SearchEntry(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    # scope: the agency the object belongs to and, for dossiers, the intake place (either one in the
    # officer's scope shows it, as for the dossier itself); `secret` rows only for who may read them
    agency_path = models.CharField(max_length=255)
    intake_path = models.CharField(max_length=255, blank=True)
    secret = models.BooleanField(default=False)
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=300)
    text = models.TextField()          # the original text (NFC), for the snippet
    body = models.TextField()          # folded words of `text`, what the full-text index covers
    indexed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="uniq_search_entry")]
        indexes = [
            models.Index(fields=["agency_path", "id"], name="search_agency_path",
                         opclasses=["varchar_pattern_ops", "int8_ops"]),
            models.Index(fields=["intake_path", "id"], name="search_intake_path",
                         opclasses=["varchar_pattern_ops", "int8_ops"]),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title[:60]}"
