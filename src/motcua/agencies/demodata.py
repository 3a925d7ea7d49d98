"""The demo province: "tỉnh Hòa Bình Demo" (code suffix H13).

Codes follow the national agency-code pattern A.B.C.D (D = province):
  province                      000.00.00.H13
  public administration centre  000.00.01.H13
  departments (Sở, ban, ngành)   000.00.<dd>.H13   (dd = 02..18; Sở Xây dựng = 17)
  units of a department         000.<dd>.<uu>.H13
  districts                     000.20.<nn>.H13   (nn = 01..08)
  communes of district nn       0<cc>.20.<nn>.H13  (cc = 01..05)

Usernames are predictable: "<slug>.<role>" with the role suffixes in ROLE_SUFFIX, e.g. sxd.tiepnhan,
sxd.chuyenvien, luongson.lanhdao, luongson-x1.tiepnhan, ttpvhcc.tiepnhan; password "motcua-demo".
"""
SUFFIX = "H13"
PROVINCE = {"code": f"000.00.00.{SUFFIX}", "name": "UBND tỉnh Hòa Bình Demo", "symbol": "UBND",
            "address": "Đường Trần Hưng Đạo, phường Phương Lâm, thành phố Hòa Bình", "slug": "tinh",
            "place_name": "Hòa Bình"}   # printed on the date line of the forms (Decree 30)
CENTRE = {"code": f"000.00.01.{SUFFIX}", "name": "Trung tâm Phục vụ hành chính công tỉnh Hòa Bình Demo",
          "symbol": "TTPVHCC", "address": "Số 1 đường Cù Chính Lan, thành phố Hòa Bình", "slug": "ttpvhcc"}

# (number, symbol, name, units)
DEPARTMENTS = [
    (2, "SNV", "Sở Nội vụ", ["Văn phòng Sở", "Phòng Tổ chức, biên chế", "Phòng Xây dựng chính quyền"]),
    (3, "STP", "Sở Tư pháp", ["Văn phòng Sở", "Phòng Hành chính tư pháp", "Phòng Bổ trợ tư pháp"]),
    (4, "STC", "Sở Tài chính", ["Văn phòng Sở", "Phòng Đăng ký kinh doanh", "Phòng Quản lý ngân sách"]),
    (5, "SYT", "Sở Y tế", ["Văn phòng Sở", "Phòng Nghiệp vụ Y", "Phòng Nghiệp vụ Dược"]),
    (6, "SGDDT", "Sở Giáo dục và Đào tạo", ["Văn phòng Sở", "Phòng Quản lý chất lượng", "Phòng Giáo dục phổ thông"]),
    (7, "SNNMT", "Sở Nông nghiệp và Môi trường", ["Văn phòng Sở", "Phòng Quản lý đất đai", "Phòng Môi trường"]),
    (8, "SCT", "Sở Công Thương", ["Văn phòng Sở", "Phòng Quản lý thương mại", "Phòng Quản lý năng lượng"]),
    (9, "SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", ["Văn phòng Sở", "Phòng Quản lý văn hóa", "Phòng Quản lý du lịch"]),
    (10, "SKHCN", "Sở Khoa học và Công nghệ", ["Văn phòng Sở", "Phòng Quản lý công nghệ", "Phòng Chuyển đổi số"]),
    (11, "SGTVT", "Sở Giao thông vận tải", ["Văn phòng Sở", "Phòng Quản lý vận tải, phương tiện và người lái"]),
    (12, "SLDTBXH", "Sở Lao động - Thương binh và Xã hội", ["Văn phòng Sở", "Phòng Việc làm - An toàn lao động", "Phòng Người có công"]),
    (13, "SNGV", "Sở Ngoại vụ", ["Văn phòng Sở", "Phòng Lãnh sự"]),
    (14, "TTT", "Thanh tra tỉnh", ["Văn phòng", "Phòng Tiếp công dân và xử lý đơn thư"]),
    (15, "BDT", "Ban Dân tộc", ["Văn phòng Ban", "Phòng Chính sách dân tộc"]),
    (16, "BQLKCN", "Ban Quản lý các khu công nghiệp", ["Văn phòng Ban", "Phòng Quản lý đầu tư", "Phòng Quản lý lao động"]),
    (17, "SXD", "Sở Xây dựng", ["Văn phòng Sở", "Phòng Quản lý xây dựng", "Phòng Quản lý nhà và thị trường bất động sản"]),
    (18, "VPUBND", "Văn phòng UBND tỉnh", ["Phòng Hành chính - Tổ chức", "Phòng Kiểm soát thủ tục hành chính"]),
]

# (number, slug, name, [commune names])
DISTRICTS = [
    (1, "tphoabinh", "UBND thành phố Hòa Bình",
     ["Phường Phương Lâm", "Phường Đồng Tiến", "Phường Tân Thịnh", "Phường Hữu Nghị", "Xã Hòa Bình"]),
    (2, "luongson", "UBND huyện Lương Sơn",
     ["Thị trấn Lương Sơn", "Xã Hòa Sơn", "Xã Lâm Sơn", "Xã Nhuận Trạch", "Xã Cao Dương"]),
    (3, "kimboi", "UBND huyện Kim Bôi",
     ["Thị trấn Bo", "Xã Vĩnh Đồng", "Xã Hợp Tiến", "Xã Kim Lập", "Xã Nam Thượng"]),
    (4, "caophong", "UBND huyện Cao Phong",
     ["Thị trấn Cao Phong", "Xã Bắc Phong", "Xã Thu Phong", "Xã Dũng Phong", "Xã Xuân Phong"]),
    (5, "tanlac", "UBND huyện Tân Lạc",
     ["Thị trấn Mãn Đức", "Xã Phong Phú", "Xã Tử Nê", "Xã Quy Mỹ", "Xã Đông Lai"]),
    (6, "maichau", "UBND huyện Mai Châu",
     ["Thị trấn Mai Châu", "Xã Chiềng Châu", "Xã Vạn Mai", "Xã Pà Cò", "Xã Nà Phòn"]),
    (7, "lacson", "UBND huyện Lạc Sơn",
     ["Thị trấn Vụ Bản", "Xã Ân Nghĩa", "Xã Nhân Nghĩa", "Xã Yên Phú", "Xã Quyết Thắng"]),
    (8, "yenthuy", "UBND huyện Yên Thủy",
     ["Thị trấn Hàng Trạm", "Xã Lạc Thịnh", "Xã Phú Lai", "Xã Yên Trị", "Xã Ngọc Lương"]),
]

DISTRICT_UNITS = ["Văn phòng HĐND và UBND", "Phòng Tư pháp", "Phòng Kinh tế, Hạ tầng và Đô thị"]

ROLE_SUFFIX = {
    "receiving_officer": "tiepnhan",
    "specialist": "chuyenvien",
    "unit_head": "truongphong",
    "agency_leader": "lanhdao",
    "clerk": "vanthu",
    "administrator": "quantri",
}
ROLE_TITLE = {
    "receiving_officer": "Cán bộ tiếp nhận và trả kết quả",
    "specialist": "Chuyên viên",
    "unit_head": "Trưởng phòng",
    "agency_leader": "Phó Giám đốc",
    "clerk": "Văn thư",
    "administrator": "Quản trị hệ thống",
}

PASSWORD = "motcua-demo"
CITIZENS = [("congdan1", "Nguyễn Văn An"), ("congdan2", "Trần Thị Bình"), ("congdan3", "Lê Minh Châu"),
            ("congdan4", "Phạm Quốc Dũng"), ("congdan5", "Hoàng Thị Hoa")]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Bạch", "Đinh", "Quách", "Hà", "Xa", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Hồng", "Quang", "Ngọc", "Thanh", "Xuân", "Hữu", "Kim"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Thắng",
         "Trang", "Trung", "Tuấn", "Vân", "Việt", "Yến"]
COMPANIES = ["Công ty TNHH Xây dựng Sông Đà Hòa Bình", "Công ty cổ phần Thương mại Mường Thanh",
             "Hợp tác xã Cam Cao Phong", "Công ty TNHH Du lịch Mai Châu Xanh", "Công ty cổ phần Vận tải Hòa Bình",
             "Doanh nghiệp tư nhân Minh Phát", "Công ty TNHH Dược phẩm Lương Sơn"]
STREETS = ["Trần Hưng Đạo", "Cù Chính Lan", "An Dương Vương", "Lê Thánh Tông", "Chi Lăng", "Hoàng Văn Thụ",
           "Điện Biên Phủ", "Thịnh Lang", "Lạc Long Quân"]
