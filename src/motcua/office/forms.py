"""The back office's posted numbers, checked like the API's input and bounded like their columns."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from motcua.core.forms import BIGINT_MAX, VersionField
from motcua.dossiers.models import Channel, PaymentChannel


class ActForm(serializers.Serializer):
    version = VersionField(required=False, label=_("Phiên bản hồ sơ"))
    amount = serializers.IntegerField(required=False, min_value=0, max_value=BIGINT_MAX, label=_("Số tiền"))


class PaymentForm(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, label=_("Số tiền"))
    channel = serializers.ChoiceField(choices=PaymentChannel.choices, default=PaymentChannel.COUNTER,
                                      label=_("Hình thức"))
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100, default="",
                                      label=_("Số chứng từ"))


class IntakeForm(serializers.Serializer):
    # same bounds as the API's IntakeSerializer; the counter takes in person and by post only
    channel = serializers.ChoiceField(choices=[(Channel.IN_PERSON, Channel.IN_PERSON.label),
                                               (Channel.POSTAL, Channel.POSTAL.label)],
                                      default=Channel.IN_PERSON, label=_("Kênh tiếp nhận"))
    sets_count = serializers.IntegerField(min_value=1, max_value=50, default=1, label=_("Số bộ hồ sơ"))


class ComponentCountForm(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=100, label=_("Số lượng"))
