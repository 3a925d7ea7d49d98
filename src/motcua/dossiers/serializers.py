from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from motcua.catalog.models import ComponentForm
from motcua.core.errors import ErrorSerializer  # noqa: F401  (re-exported: the API's error shape)
from motcua.core.errors import VietnameseInputMixin

from motcua.agencies.models import Role

from .models import (ApplicantKind, Channel, Dossier, DossierComponent, DossierStep, Extension, HistoryEvent, Pause,
                     ResultDelivery, Timing)


def _blankable_choice(choices, help_text=""):
    """A read-only choice that may be '' (read_only_fields drops allow_blank from the schema)."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True, help_text=help_text)


class ComponentInSerializer(VietnameseInputMixin, serializers.Serializer):
    component_id = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=500)
    form = serializers.ChoiceField(choices=ComponentForm.choices, required=False)
    count = serializers.IntegerField(required=False, min_value=1, max_value=100)
    provided = serializers.BooleanField(required=False, default=True)


class IntakeSerializer(VietnameseInputMixin, serializers.Serializer):
    procedure = serializers.CharField(max_length=40, help_text="Mã thủ tục, ví dụ 1.005129")
    agency = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                   help_text="Mã cơ quan giải quyết; bắt buộc khi cán bộ tiếp nhận được cho nhiều cơ "
                                             "quan có thẩm quyền (mặc định: cơ quan duy nhất, hoặc cơ quan của cán bộ)")
    intake_agency = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                          help_text="Mã nơi tiếp nhận (trung tâm phục vụ hành chính công)")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.IN_PERSON,
                                      help_text="1 tại quầy, 3 bưu chính (cán bộ tiếp nhận); 2 trực tuyến chỉ từ "
                                                "tài khoản của chính người nộp")
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN)
    applicant_name = serializers.CharField(max_length=255)
    applicant_id_number = serializers.RegexField(r"^[0-9A-Za-z\-]{0,20}$", required=False, allow_blank=True,
                                                 max_length=20)
    applicant_address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    applicant_phone = serializers.RegexField(r"^\+?[0-9 .\-]{6,20}$", required=False, allow_blank=True,
                                             max_length=20)
    applicant_email = serializers.EmailField(required=False, allow_blank=True)
    request = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    sets_count = serializers.IntegerField(required=False, min_value=1, max_value=50, default=1)
    return_place = serializers.CharField(required=False, allow_blank=True, max_length=255)
    result_delivery = serializers.ChoiceField(
        choices=ResultDelivery.choices, required=False,
        help_text="Cách nhận kết quả: counter tại bộ phận một cửa (mặc định), postal qua bưu chính công ích "
                  "(cần delivery_address), electronic bản điện tử")
    delivery_address = serializers.CharField(required=False, allow_blank=True, max_length=500,
                                             help_text="Địa chỉ nhận kết quả qua bưu chính công ích")
    components = ComponentInSerializer(many=True, required=False)
    if_incomplete = serializers.ChoiceField(
        choices=[("request_supplement", "Yêu cầu bổ sung (Mẫu 2)"), ("refuse", "Từ chối tiếp nhận (Mẫu 3)")],
        required=False, allow_blank=True,
        help_text="Khi thiếu thành phần bắt buộc, hồ sơ không được tiếp nhận: yêu cầu bổ sung hoặc từ chối "
                  "(kèm lý do). Không gửi thì trả lỗi components_missing.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                   help_text="Lý do yêu cầu bổ sung hoặc từ chối (khi có if_incomplete)")


@extend_schema_serializer(component_name="DossierComponent")
class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierComponent
        fields = ["id", "component_id", "name", "form", "count", "provided"]
        read_only_fields = fields


@extend_schema_serializer(component_name="DossierStep")
class StepSerializer(serializers.ModelSerializer):
    timing = _blankable_choice(Timing.choices, "Trước hạn/đúng hạn/trễ hạn; rỗng khi bước chưa xong")

    class Meta:
        model = DossierStep
        fields = ["order", "name", "unit_name", "role", "allowance_minutes", "started_at", "due_at", "finished_at",
                  "handled_by_name", "outcome", "timing", "rounds"]
        read_only_fields = fields


class PauseSerializer(serializers.ModelSerializer):
    components = serializers.ListField(child=serializers.CharField(), read_only=True,
                                       help_text="Giấy tờ cần bổ sung")

    class Meta:
        model = Pause
        fields = ["kind", "started_at", "ended_at", "reason", "components"]
        read_only_fields = fields


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["at", "reason", "previous_appointment", "new_appointment"]
        read_only_fields = fields


class HistorySerializer(serializers.ModelSerializer):
    data = serializers.DictField(read_only=True)

    class Meta:
        model = HistoryEvent
        fields = ["seq", "at", "actor_name", "action", "reason", "status_before", "status_after", "data",
                  "prev_hash", "hash"]
        read_only_fields = fields


class DossierListSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code", read_only=True)
    procedure_name = serializers.CharField(source="procedure.name", read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    current_role = _blankable_choice(Role.choices, "Vai trò của bước hiện tại; rỗng khi chưa tiếp nhận")
    timing = _blankable_choice(Timing.choices, "Trước hạn/đúng hạn/trễ hạn; rỗng khi chưa xử lý xong")

    class Meta:
        model = Dossier
        fields = ["code", "procedure", "procedure_name", "agency", "channel", "status", "status_label", "version",
                  "applicant_name", "submitted_at", "received_at", "due_at", "appointment_at", "finished_at",
                  "returned_at", "current_step", "current_role", "timing", "paused_since"]
        read_only_fields = fields


class DossierSerializer(DossierListSerializer):
    intake_agency = serializers.CharField(source="intake_agency.code", read_only=True)
    components = ComponentSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    pauses = PauseSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    applicant_email = serializers.EmailField(allow_blank=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(DossierListSerializer.Meta):
        fields = DossierListSerializer.Meta.fields + [
            "intake_agency", "applicant_kind", "applicant_id_number", "applicant_address", "applicant_phone",
            "applicant_email", "request", "sets_count", "clock_start", "statutory_minutes", "supplement_requests",
            "approved_at", "closed_at", "fee_total", "return_place", "result_delivery", "delivery_address",
            "components", "steps", "pauses", "extensions", "allowed_actions"]
        read_only_fields = fields

    def to_representation(self, instance):
        from .visibility import applicant_view
        out = super().to_representation(instance)
        actor = self.context.get("actor")
        if actor is not None and applicant_view(actor, instance):
            for step in out["steps"]:
                step["outcome"] = ""      # officers' notes stay internal
        return out

    def get_allowed_actions(self, obj) -> list[str]:
        from .services import allowed_actions
        actor = self.context.get("actor")
        return allowed_actions(actor, obj) if actor is not None else []


class ActionSerializer(VietnameseInputMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="Phiên bản hồ sơ đã đọc (kiểm tra đồng thời)")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    components = serializers.ListField(child=serializers.CharField(max_length=500), required=False,
                                       help_text="Giấy tờ cần bổ sung (yêu cầu bổ sung)")
    new_appointment = serializers.DateTimeField(required=False, help_text="Ngày hẹn mới (gia hạn)")
    amount = serializers.IntegerField(required=False, min_value=0, help_text="Số tiền nghĩa vụ tài chính")
    provided = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=200,
                                     help_text="Id các thành phần hồ sơ đã nhận (tiếp nhận, nhận bổ sung)")
    assignee = serializers.CharField(required=False, allow_blank=True, max_length=150,
                                     help_text="Chuyển bước tiếp theo (forward): cán bộ được giao xử lý, tên đăng nhập "
                                               "hoặc id; phải giữ vai trò của bước tiếp theo tại đơn vị thực hiện "
                                               "(nếu không: 422 assignee_not_eligible). Bỏ trống: để đơn vị phân công.")
    unpaid_fee_confirmed = serializers.BooleanField(
        required=False, default=False,
        help_text="Trả kết quả (return_result) khi còn phí, lệ phí chưa thu: phải xác nhận (nếu không: 422 fee_unpaid)")


class PublicLookupSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã hồ sơ")
    secret = serializers.CharField(help_text="Mã tra cứu: 4 số cuối điện thoại người nộp, in trên giấy tiếp nhận")


class PublicStatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    procedure = serializers.CharField()
    agency = serializers.CharField()
    applicant = serializers.CharField(help_text="Tên người nộp đã che bớt")
    status = serializers.IntegerField()
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)
    appointment_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    current_step = serializers.CharField(allow_blank=True)
    return_place = serializers.CharField(allow_blank=True)
