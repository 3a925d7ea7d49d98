from django.core.exceptions import ObjectDoesNotExist
from django.utils.text import capfirst
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from .models import Component, Fee, Procedure, ProcessStep


@extend_schema_serializer(component_name="ProcedureComponent")
class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Component
        fields = ["id", "order", "name", "form", "count", "required"]
        read_only_fields = fields


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fee
        fields = ["name", "amount", "note"]
        read_only_fields = fields


@extend_schema_serializer(component_name="ProcessStep")
class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessStep
        fields = ["order", "name", "unit_name", "role", "allowance_hours"]
        read_only_fields = fields


class ProcedureListSerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field.name", read_only=True)
    dvcqg_code = serializers.SerializerMethodField(
        help_text="Mã TTHC trên Cổng DVCQG mà thủ tục được ánh xạ sang; null: chưa ánh xạ")
    field_code = serializers.CharField(source="field.code", read_only=True)
    agencies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "field_code", "agencies", "online_level", "time_value", "time_unit",
                  "is_active", "dvcqg_code"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True, "example": "1.009974.000.00.00.H13"})
    def get_dvcqg_code(self, obj):
        try:
            return obj.dvcqg_mapping.remote_code or None
        except ObjectDoesNotExist:
            return None


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$", "example": "15:00:00"})
class LocalTimeField(serializers.TimeField):
    """A local time of day, HH:MM:SS without an offset (JSON Schema's `format: time` demands an offset)."""


class ProcedureSerializer(ProcedureListSerializer):
    cutoff = LocalTimeField(read_only=True, allow_null=True, label=capfirst(Procedure._meta.get_field("cutoff").verbose_name),
                            help_text=Procedure._meta.get_field("cutoff").help_text)
    components = ComponentSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta(ProcedureListSerializer.Meta):
        fields = ProcedureListSerializer.Meta.fields + ["cutoff", "pause_policy", "result_type", "legal_basis",
                                                        "requirements", "components", "fees", "steps"]
        read_only_fields = fields


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Số thủ tục tạo mới")
    updated = serializers.IntegerField(help_text="Số thủ tục cập nhật")
