"""A handful of procedure cards as DVCQG's LayThuTuc gives them (field names of INTEGRATIONS.md §1.2 and
OpenCPS's reader; the level field MUCDO is this simulator's guess, absent on one card on purpose)."""

CARDS = [
    {"MATTHC": "1.009974.000.00.00.H13", "TENTTHC": "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, "
     "cấp I, cấp II", "MUCDO": "3", "TRANGTHAI": 1,
     "LINHVUCTHUCHIEN": [{"MALINHVUC": "G09-XD04", "TENLINHVUC": "Hoạt động xây dựng"}],
     "TRINHTUTHUCHIEN": [{"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": "Nộp hồ sơ tại Trung tâm Phục vụ hành chính công"},
                                                        {"TENTRINHTU": "Sở Xây dựng thẩm định, cấp phép"}]}],
     "CACHTHUCTHUCHIEN": [
         {"KENH": 1, "THOIGIAN": [{"THOIGIANGIAIQUYET": 20, "DONVITINH": "Ngày làm việc", "MOTA": "kể từ ngày nhận đủ hồ sơ",
                                   "PHILEPHI": [{"MAPHILEPHI": "LEPHI", "SOTIEN": 150000, "DONVI": "Đồng",
                                                 "MOTA": "Lệ phí cấp giấy phép xây dựng"}]}]},
         {"KENH": 2, "THOIGIAN": [{"THOIGIANGIAIQUYET": 20, "DONVITINH": "Ngày làm việc", "MOTA": "",
                                   "PHILEPHI": [{"MAPHILEPHI": "LEPHI", "SOTIEN": 150000, "DONVI": "Đồng",
                                                 "MOTA": "Lệ phí cấp giấy phép xây dựng"}]}]}],
     "THANHPHANHOSO": [{"TRUONGHOP": "", "GIAYTO": [
         {"MAGIAYTO": "GT01", "TENGIAYTO": "Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)", "SOBANCHINH": 1, "SOBANSAO": 0,
          "TENMAUDON": "mau-01.docx", "URL": ""},
         {"MAGIAYTO": "GT02", "TENGIAYTO": "Bản sao giấy tờ chứng minh quyền sử dụng đất", "SOBANCHINH": 0, "SOBANSAO": 1,
          "TENMAUDON": "", "URL": ""},
         {"MAGIAYTO": "GT03", "TENGIAYTO": "02 bộ bản vẽ thiết kế xây dựng", "SOBANCHINH": 2, "SOBANSAO": 0,
          "TENMAUDON": "", "URL": ""}]}],
     "KETQUATHUCHIEN": [{"MAKETQUA": "KQ01", "TENKETQUA": "Giấy phép xây dựng"}],
     "CANCUPHAPLY": [{"SOVANBAN": "50/2014/QH13", "TENVANBAN": "Luật Xây dựng"},
                     {"SOVANBAN": "15/2021/NĐ-CP", "TENVANBAN": "Nghị định quy định chi tiết một số nội dung về quản lý dự án đầu tư xây dựng"}],
     "COQUANTHUCHIEN": [{"MADONVI": "000.00.17.H13", "TENDONVI": "Sở Xây dựng"}],
     "YEUCAU": "Không"},
    {"MATTHC": "2.000908.000.00.00.H13", "TENTTHC": "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có "
     "thẩm quyền của Việt Nam cấp", "MUCDO": "4", "TRANGTHAI": 1,
     "LINHVUCTHUCHIEN": [{"MALINHVUC": "G09-TP05", "TENLINHVUC": "Chứng thực"}],
     "CACHTHUCTHUCHIEN": [
         {"KENH": 1, "THOIGIAN": [{"THOIGIANGIAIQUYET": "1", "DONVITINH": "Ngày", "MOTA": "trong ngày làm việc",
                                   "PHILEPHI": [{"MAPHILEPHI": "PHI", "SOTIEN": "2.000", "DONVI": "Đồng",
                                                 "MOTA": "Phí chứng thực bản sao (mỗi trang)"}]}]},
         {"KENH": 2, "THOIGIAN": [{"THOIGIANGIAIQUYET": "1", "DONVITINH": "Ngày", "MOTA": "",
                                   "PHILEPHI": [{"MAPHILEPHI": "PHI", "SOTIEN": "2.000", "DONVI": "Đồng",
                                                 "MOTA": "Phí chứng thực bản sao (mỗi trang)"}]}]}],
     "THANHPHANHOSO": [{"TRUONGHOP": "", "GIAYTO": [
         {"MAGIAYTO": "GT01", "TENGIAYTO": "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", "SOBANCHINH": 1},
         {"MAGIAYTO": "GT02", "TENGIAYTO": "Bản sao cần chứng thực", "SOBANSAO": 1}]}],
     "KETQUATHUCHIEN": [{"MAKETQUA": "KQ01", "TENKETQUA": "Bản sao được chứng thực từ bản chính"}],
     "CANCUPHAPLY": [{"SOVANBAN": "23/2015/NĐ-CP", "TENVANBAN": "Nghị định về cấp bản sao từ sổ gốc, chứng thực bản sao"}],
     "COQUANTHUCHIEN": [{"MADONVI": "000.00.18.H13", "TENDONVI": "Sở Tư pháp"}], "YEUCAU": ""},
    {"MATTHC": "2.001612.000.00.00.H13", "TENTTHC": "Đăng ký thành lập hộ kinh doanh", "MUCDO": "4", "TRANGTHAI": 1,
     "LINHVUCTHUCHIEN": [{"MALINHVUC": "G09-KH01", "TENLINHVUC": "Thành lập và hoạt động của hộ kinh doanh"}],
     "CACHTHUCTHUCHIEN": [
         {"KENH": 2, "THOIGIAN": [{"THOIGIANGIAIQUYET": 3, "DONVITINH": "Ngày làm việc", "MOTA": "",
                                   "PHILEPHI": [{"MAPHILEPHI": "LEPHI", "SOTIEN": 50000, "DONVI": "VNĐ",
                                                 "MOTA": "Lệ phí đăng ký hộ kinh doanh"}]}]}],
     "THANHPHANHOSO": [
         {"TRUONGHOP": "Hộ kinh doanh do cá nhân thành lập", "GIAYTO": [
             {"MAGIAYTO": "GT01", "TENGIAYTO": "Giấy đề nghị đăng ký hộ kinh doanh", "SOBANCHINH": 1}]},
         {"TRUONGHOP": "Hộ kinh doanh do các thành viên hộ gia đình thành lập", "GIAYTO": [
             {"MAGIAYTO": "GT01", "TENGIAYTO": "Giấy đề nghị đăng ký hộ kinh doanh", "SOBANCHINH": 1},
             {"MAGIAYTO": "GT02", "TENGIAYTO": "Biên bản họp thành viên hộ gia đình", "SOBANCHINH": 1, "SOBANSAO": 1}]}],
     "KETQUATHUCHIEN": [{"MAKETQUA": "KQ01", "TENKETQUA": "Giấy chứng nhận đăng ký hộ kinh doanh"}],
     "CANCUPHAPLY": [{"SOVANBAN": "01/2021/NĐ-CP", "TENVANBAN": "Nghị định về đăng ký doanh nghiệp"}],
     "COQUANTHUCHIEN": [{"MADONVI": "000.00.31.H13", "TENDONVI": "Phòng Tài chính - Kế hoạch"}], "YEUCAU": ""},
    # No level field: the importer derives it from the channels (direct only -> not online).
    {"MATTHC": "1.001757.000.00.00.H13", "TENTTHC": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "TRANGTHAI": 1,
     "LINHVUCTHUCHIEN": [{"MALINHVUC": "G09-TP08", "TENLINHVUC": "Lý lịch tư pháp"}],
     "CACHTHUCTHUCHIEN": [
         {"KENH": 1, "THOIGIAN": [{"THOIGIANGIAIQUYET": 10, "DONVITINH": "Ngày làm việc", "MOTA": "",
                                   "PHILEPHI": [{"MAPHILEPHI": "PHI", "SOTIEN": 200000, "DONVI": "Đồng",
                                                 "MOTA": "Phí cung cấp thông tin lý lịch tư pháp"}]}]},
         {"KENH": 3, "THOIGIAN": [{"THOIGIANGIAIQUYET": 10, "DONVITINH": "Ngày làm việc", "MOTA": "", "PHILEPHI": []}]}],
     "THANHPHANHOSO": [{"TRUONGHOP": "", "GIAYTO": [
         {"MAGIAYTO": "GT01", "TENGIAYTO": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "SOBANCHINH": 1},
         {"MAGIAYTO": "GT02", "TENGIAYTO": "Bản chụp giấy tờ tùy thân", "SOBANSAO": 1}]}],
     "KETQUATHUCHIEN": [{"MAKETQUA": "KQ01", "TENKETQUA": "Phiếu lý lịch tư pháp"}],
     "CANCUPHAPLY": [{"SOVANBAN": "28/2009/QH12", "TENVANBAN": "Luật Lý lịch tư pháp"}],
     "COQUANTHUCHIEN": [{"MADONVI": "000.00.18.H13", "TENDONVI": "Sở Tư pháp"}],
     "YEUCAU": "Người yêu cầu cấp Phiếu phải từ đủ 14 tuổi trở lên"},
]
