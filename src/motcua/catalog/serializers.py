from rest_framework import serializers

from .models import Component, Fee, Procedure, ProcessStep


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Component
        fields = ["id", "order", "name", "form", "count", "required"]


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fee
        fields = ["name", "amount", "note"]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessStep
        fields = ["order", "name", "unit_name", "role", "allowance_hours"]


class ProcedureListSerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field.name", read_only=True)
    field_code = serializers.CharField(source="field.code", read_only=True)
    agencies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "field_code", "agencies", "online_level", "time_value", "time_unit",
                  "is_active"]


class ProcedureSerializer(ProcedureListSerializer):
    components = ComponentSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta(ProcedureListSerializer.Meta):
        fields = ProcedureListSerializer.Meta.fields + ["cutoff", "pause_policy", "result_type", "legal_basis",
                                                        "requirements", "components", "fees", "steps"]
