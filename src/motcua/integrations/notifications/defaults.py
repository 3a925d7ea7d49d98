"""The default Vietnamese texts, seeded by a migration and used when a template row is missing.
Administrators edit them at /can-bo/thong-bao/. SMS texts are sent without diacritics (brandname SMS with
DATACODING 0), so they stay short; Zalo texts fill the `loi_nhan` parameter of the approved ZNS template."""

FOOTER = "\n\nTra cứu hồ sơ: {{ tra_cuu }}\n{{ co_quan }}"

EMAIL = {
    "received": ("Hồ sơ {{ ma_ho_so }} đã được tiếp nhận",
                 "Kính gửi {{ ho_ten }},\n\n{{ co_quan }} đã tiếp nhận hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) lúc "
                 "{{ ngay_tiep_nhan }}.\nNgày hẹn trả kết quả: {{ ngay_hen }}, tại {{ noi_tra }}." + FOOTER),
    "supplement_requested": ("Hồ sơ {{ ma_ho_so }} cần bổ sung",
                             "Kính gửi {{ ho_ten }},\n\nHồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) cần bổ sung, hoàn thiện "
                             "các giấy tờ sau:\n{% for g in giay_to %}- {{ g }}\n{% endfor %}Lý do: {{ ly_do }}" + FOOTER),
    "financial_obligation": ("Hồ sơ {{ ma_ho_so }}: thực hiện nghĩa vụ tài chính",
                             "Kính gửi {{ ho_ten }},\n\nĐể tiếp tục giải quyết hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}), "
                             "Ông/Bà cần nộp {{ so_tien }}.\nNội dung: {{ ly_do }}\nCách nộp: {{ cach_nop }}" + FOOTER),
    "refused": ("Hồ sơ {{ ma_ho_so }} không được tiếp nhận, giải quyết",
                "Kính gửi {{ ho_ten }},\n\n{{ co_quan }} từ chối tiếp nhận, giải quyết hồ sơ {{ ma_ho_so }} "
                "({{ ten_thu_tuc }}).\nLý do: {{ ly_do }}" + FOOTER),
    "result_ready": ("Hồ sơ {{ ma_ho_so }} đã có kết quả",
                     "Kính gửi {{ ho_ten }},\n\nHồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) đã có kết quả. Mời Ông/Bà "
                     "nhận kết quả tại {{ noi_tra }} (ngày hẹn {{ ngay_hen }})." + FOOTER),
    "result_returned": ("Hồ sơ {{ ma_ho_so }} đã trả kết quả",
                        "Kính gửi {{ ho_ten }},\n\nKết quả hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) đã được trả lúc "
                        "{{ thoi_diem }}. Cảm ơn Ông/Bà; mời Ông/Bà đánh giá mức độ hài lòng." + FOOTER),
    "apology": ("Xin lỗi: hồ sơ {{ ma_ho_so }} được hẹn lại ngày trả",
                "Kính gửi {{ ho_ten }},\n\n{{ co_quan }} xin lỗi Ông/Bà vì hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) "
                "chưa giải quyết được đúng hẹn {{ ngay_hen_cu }}.\nLý do: {{ ly_do }}\nNgày hẹn trả mới: "
                "{{ ngay_hen_moi }}." + FOOTER),
    "stopped": ("Hồ sơ {{ ma_ho_so }} dừng giải quyết",
                "Kính gửi {{ ho_ten }},\n\n{{ co_quan }} thông báo dừng giải quyết hồ sơ {{ ma_ho_so }} "
                "({{ ten_thu_tuc }}).\nLý do: {{ ly_do }}" + FOOTER),
    "feedback_answered": ("Trả lời phản ánh, kiến nghị số {{ ma_phan_anh }}",
                          "Kính gửi {{ ho_ten }},\n\nPhản ánh, kiến nghị số {{ ma_phan_anh }} về hồ sơ {{ ma_ho_so }}: "
                          "{{ ket_qua }}.\n{{ tra_loi }}" + FOOTER),
}

SHORT = {
    "received": "Ho so {{ ma_ho_so }} da duoc tiep nhan. Hen tra ket qua: {{ ngay_hen }}.",
    "supplement_requested": "Ho so {{ ma_ho_so }} can bo sung: {{ giay_to|join:', ' }}. Ly do: {{ ly_do }}",
    "financial_obligation": "Ho so {{ ma_ho_so }}: de nghi nop {{ so_tien }}. {{ cach_nop }}",
    "refused": "Ho so {{ ma_ho_so }} khong duoc tiep nhan, giai quyet. Ly do: {{ ly_do }}",
    "result_ready": "Ho so {{ ma_ho_so }} da co ket qua. Moi nhan tai {{ noi_tra }}.",
    "result_returned": "Ho so {{ ma_ho_so }} da tra ket qua luc {{ thoi_diem }}. Cam on Ong/Ba.",
    "apology": "Xin loi: ho so {{ ma_ho_so }} tre hen. Ngay hen moi: {{ ngay_hen_moi }}. Ly do: {{ ly_do }}",
    "stopped": "Ho so {{ ma_ho_so }} dung giai quyet. Ly do: {{ ly_do }}",
    "feedback_answered": "Phan anh so {{ ma_phan_anh }} ({{ ma_ho_so }}): {{ ket_qua }}. {{ tra_loi }}",
}

ZALO = {
    "received": "Hồ sơ {{ ma_ho_so }} đã được tiếp nhận. Hẹn trả kết quả: {{ ngay_hen }} tại {{ noi_tra }}.",
    "supplement_requested": "Hồ sơ {{ ma_ho_so }} cần bổ sung: {{ giay_to|join:'; ' }}. Lý do: {{ ly_do }}",
    "financial_obligation": "Hồ sơ {{ ma_ho_so }}: đề nghị nộp {{ so_tien }}. {{ cach_nop }}",
    "refused": "Hồ sơ {{ ma_ho_so }} không được tiếp nhận, giải quyết. Lý do: {{ ly_do }}",
    "result_ready": "Hồ sơ {{ ma_ho_so }} đã có kết quả. Mời nhận tại {{ noi_tra }}.",
    "result_returned": "Hồ sơ {{ ma_ho_so }} đã trả kết quả lúc {{ thoi_diem }}. Cảm ơn Ông/Bà.",
    "apology": "Xin lỗi: hồ sơ {{ ma_ho_so }} trễ hẹn. Ngày hẹn mới: {{ ngay_hen_moi }}. Lý do: {{ ly_do }}",
    "stopped": "Hồ sơ {{ ma_ho_so }} dừng giải quyết. Lý do: {{ ly_do }}",
    "feedback_answered": "Phản ánh số {{ ma_phan_anh }} (hồ sơ {{ ma_ho_so }}): {{ ket_qua }}. {{ tra_loi }}",
}


def default(event, channel):
    """(subject, body) of the default text."""
    if channel == "email":
        return EMAIL[event]
    return "", (ZALO if channel == "zalo" else SHORT)[event]


def seed(model):
    """Create the missing default rows (a migration passes its historical model)."""
    have = set(model.objects.values_list("event", "channel"))
    model.objects.bulk_create([model(event=e, channel=c, subject=default(e, c)[0], body=default(e, c)[1])
                               for e in EMAIL for c in ("email", "zalo", "sms") if (e, c) not in have])
