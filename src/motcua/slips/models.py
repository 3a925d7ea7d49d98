from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormNumber(models.Model):
    """The number/symbol (Decree 30) of a form 3, 4 or 5, given in the transaction of the act it records
    (refuse, extend, stop) from the issuing agency's yearly register of one-stop forms."""
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="form_numbers")
    form = models.PositiveSmallIntegerField(_("mẫu số"))
    event_seq = models.PositiveIntegerField()          # the history event of the act
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    register = models.ForeignKey("documents.Register", on_delete=models.PROTECT, related_name="form_numbers")
    number = models.PositiveIntegerField(_("số"))
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["dossier", "form", "event_seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "form", "event_seq"], name="uniq_form_number"),
                       models.UniqueConstraint(fields=["register", "number"], name="uniq_form_number_in_register")]

    def __str__(self):
        return self.number_symbol
