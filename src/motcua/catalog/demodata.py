"""Procedures (thủ tục hành chính) of the demo province: names and national codes in the style of the
national procedure database (1.00xxxx / 2.00xxxx), fields, competent level, online level, statutory
time, cut-off hour, components, fees (VND), result, legal basis. The internal process (3-5 steps) is
derived by `steps_for` so that step allowances never exceed the statutory time.

`level`: "dept:<SYMBOL>" (one department), "district" (every district), "commune" (every commune).
Components: (name, form, count, required); form in original / copy / certified_copy / either.
"""
from decimal import ROUND_DOWN, Decimal

FIELDS = [
    ("XD", "Hoạt động xây dựng"), ("NO", "Nhà ở"), ("HT", "Hộ tịch"), ("CT", "Chứng thực"),
    ("LLTP", "Lý lịch tư pháp"), ("LS", "Luật sư"), ("DN", "Thành lập và hoạt động của doanh nghiệp"),
    ("DTU", "Đầu tư tại Việt Nam"), ("DD", "Đất đai"), ("MT", "Môi trường"), ("TNN", "Tài nguyên nước"),
    ("KCB", "Khám bệnh, chữa bệnh"), ("DUOC", "Dược phẩm"), ("GDDT", "Giáo dục và Đào tạo"),
    ("DB", "Đường bộ"), ("VL", "Việc làm"), ("NCC", "Người có công"), ("BTXH", "Bảo trợ xã hội"),
    ("TM", "Lưu thông hàng hóa trong nước"), ("ATTP", "An toàn thực phẩm"), ("VH", "Văn hóa cơ sở"),
    ("DL", "Du lịch"), ("KHCN", "Hoạt động khoa học và công nghệ"), ("TDKT", "Thi đua, khen thưởng"),
    ("LSU", "Lãnh sự"), ("TCD", "Tiếp công dân"), ("KNTC", "Giải quyết khiếu nại"), ("DT", "Công tác dân tộc"),
    ("KCN", "Quản lý khu công nghiệp"), ("NN", "Trồng trọt"), ("HKD", "Thành lập và hoạt động của hộ kinh doanh"),
]

F = "full"
P = "partial"

DON = ("Đơn đề nghị (theo mẫu)", "original", 1, True)
CCCD = ("Căn cước công dân/Hộ chiếu (xuất trình)", "original", 1, True)
UQ = ("Văn bản ủy quyền (trường hợp nộp thay)", "original", 1, False)

# code, name, field, level, online, time, unit, cutoff, components, fees, result, legal basis
PROCEDURES = [
    ("1.009974", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II", "XD", "dept:SXD", P, 20, "days", None,
     [("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)", "original", 1, True),
      ("Giấy tờ hợp pháp về quyền sử dụng đất", "certified_copy", 1, True),
      ("Bản vẽ thiết kế xây dựng", "copy", 2, True), ("Văn bản thẩm duyệt phòng cháy, chữa cháy", "copy", 1, False)],
     [("Lệ phí cấp giấy phép xây dựng", 150000)], "Giấy phép xây dựng",
     "Luật Xây dựng 2014, sửa đổi 2020; Nghị định 175/2024/NĐ-CP"),
    ("1.009977", "Điều chỉnh giấy phép xây dựng đối với công trình cấp đặc biệt, cấp I, cấp II", "XD", "dept:SXD", P, 20, "days", None,
     [("Đơn đề nghị điều chỉnh giấy phép xây dựng", "original", 1, True), ("Bản chính giấy phép xây dựng đã cấp", "original", 1, True),
      ("Bản vẽ thiết kế điều chỉnh", "copy", 2, True)],
     [("Lệ phí cấp giấy phép xây dựng", 150000)], "Giấy phép xây dựng điều chỉnh", "Luật Xây dựng 2014, sửa đổi 2020"),
    ("1.009994", "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", "XD", "dept:SXD", F, 20, "days", None,
     [DON, ("Văn bằng được đào tạo", "copy", 1, True), ("Ảnh màu 4x6", "original", 2, True)],
     [("Lệ phí cấp chứng chỉ hành nghề", 300000)], "Chứng chỉ hành nghề hoạt động xây dựng", "Nghị định 175/2024/NĐ-CP"),
    ("1.010008", "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng", "XD", "dept:SXD", P, 30, "days", None,
     [("Tờ trình thẩm định", "original", 1, True), ("Báo cáo nghiên cứu khả thi", "original", 1, True),
      ("Hồ sơ khảo sát xây dựng", "copy", 1, True)],
     [("Phí thẩm định dự án đầu tư xây dựng", 2000000)], "Thông báo kết quả thẩm định", "Nghị định 175/2024/NĐ-CP"),
    ("1.012885", "Thông báo đủ điều kiện bán nhà ở hình thành trong tương lai", "NO", "dept:SXD", P, 15, "days", None,
     [("Văn bản đề nghị", "original", 1, True), ("Giấy tờ về quyền sử dụng đất", "copy", 1, True)],
     [], "Văn bản thông báo", "Luật Kinh doanh bất động sản 2023"),
    ("2.000488", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", "LLTP", "dept:STP", F, 10, "days", None,
     [("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "original", 1, True), CCCD,
      ("Giấy tờ chứng minh nơi thường trú hoặc tạm trú", "copy", 1, False)],
     [("Phí cung cấp thông tin lý lịch tư pháp", 200000)], "Phiếu lý lịch tư pháp", "Luật Lý lịch tư pháp 2009; Thông tư 244/2016/TT-BTC"),
    ("1.008722", "Đăng ký hoạt động của tổ chức hành nghề luật sư", "LS", "dept:STP", P, 10, "days", None,
     [DON, ("Bản sao quyết định thành lập", "certified_copy", 1, True)],
     [("Lệ phí đăng ký hoạt động", 100000)], "Giấy đăng ký hoạt động", "Luật Luật sư 2006, sửa đổi 2012"),
    ("2.001035", "Đăng ký kết hôn có yếu tố nước ngoài", "HT", "district", P, 15, "days", None,
     [("Tờ khai đăng ký kết hôn", "original", 2, True), ("Giấy xác nhận tình trạng hôn nhân", "original", 2, True),
      ("Giấy xác nhận không mắc bệnh tâm thần", "original", 2, True), CCCD],
     [("Lệ phí đăng ký kết hôn có yếu tố nước ngoài", 1000000)], "Giấy chứng nhận kết hôn", "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP"),
    ("1.001193", "Đăng ký khai sinh", "HT", "commune", F, 8, "hours", "15:00",
     [("Tờ khai đăng ký khai sinh", "original", 1, True), ("Giấy chứng sinh", "original", 1, True), CCCD],
     [], "Giấy khai sinh", "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP"),
    ("1.000656", "Đăng ký khai tử", "HT", "commune", F, 8, "hours", "15:00",
     [("Tờ khai đăng ký khai tử", "original", 1, True), ("Giấy báo tử hoặc giấy tờ thay thế", "original", 1, True)],
     [], "Trích lục khai tử", "Luật Hộ tịch 2014"),
    ("1.000894", "Đăng ký kết hôn", "HT", "commune", P, 8, "hours", "15:00",
     [("Tờ khai đăng ký kết hôn", "original", 1, True), CCCD],
     [], "Giấy chứng nhận kết hôn", "Luật Hộ tịch 2014"),
    ("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "HT", "commune", F, 3, "days", None,
     [("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "original", 1, True), CCCD],
     [("Lệ phí", 15000)], "Giấy xác nhận tình trạng hôn nhân", "Luật Hộ tịch 2014"),
    ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp", "CT", "commune", P, 4, "hours", "15:00",
     [("Bản chính giấy tờ, văn bản", "original", 1, True), ("Bản sao cần chứng thực", "copy", 1, True)],
     [("Phí chứng thực bản sao (mỗi trang)", 2000)], "Bản sao được chứng thực", "Nghị định 23/2015/NĐ-CP"),
    ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "CT", "commune", P, 4, "hours", "15:00",
     [CCCD, ("Giấy tờ, văn bản cần chứng thực chữ ký", "original", 1, True)],
     [("Phí chứng thực chữ ký", 10000)], "Giấy tờ được chứng thực chữ ký", "Nghị định 23/2015/NĐ-CP"),
    ("2.000913", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở", "CT", "district", P, 2, "days", None,
     [("Dự thảo hợp đồng, giao dịch", "original", 1, True), CCCD, ("Giấy chứng nhận quyền sử dụng đất", "copy", 1, True)],
     [("Phí chứng thực hợp đồng", 50000)], "Hợp đồng được chứng thực", "Nghị định 23/2015/NĐ-CP"),
    ("2.001612", "Đăng ký thành lập hộ kinh doanh", "HKD", "district", F, 3, "days", None,
     [("Giấy đề nghị đăng ký hộ kinh doanh", "original", 1, True), CCCD],
     [("Lệ phí đăng ký hộ kinh doanh", 100000)], "Giấy chứng nhận đăng ký hộ kinh doanh", "Nghị định 01/2021/NĐ-CP"),
    ("2.000386", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "XD", "district", P, 15, "days", None,
     [("Đơn đề nghị cấp giấy phép xây dựng", "original", 1, True), ("Giấy tờ về quyền sử dụng đất", "certified_copy", 1, True),
      ("Bản vẽ thiết kế", "copy", 2, True)],
     [("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ", 75000)], "Giấy phép xây dựng", "Luật Xây dựng 2014, sửa đổi 2020"),
    ("1.001009", "Đăng ký thành lập doanh nghiệp tư nhân", "DN", "dept:STC", F, 3, "days", None,
     [("Giấy đề nghị đăng ký doanh nghiệp", "original", 1, True), CCCD],
     [("Lệ phí đăng ký doanh nghiệp", 50000)], "Giấy chứng nhận đăng ký doanh nghiệp", "Luật Doanh nghiệp 2020; Nghị định 168/2025/NĐ-CP"),
    ("2.001199", "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên", "DN", "dept:STC", F, 3, "days", None,
     [("Giấy đề nghị đăng ký doanh nghiệp", "original", 1, True), ("Điều lệ công ty", "original", 1, True),
      ("Danh sách thành viên", "original", 1, True)],
     [("Lệ phí đăng ký doanh nghiệp", 50000)], "Giấy chứng nhận đăng ký doanh nghiệp", "Luật Doanh nghiệp 2020"),
    ("1.009645", "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư", "DTU", "dept:STC", P, 15, "days", None,
     [("Văn bản đề nghị thực hiện dự án đầu tư", "original", 1, True), ("Đề xuất dự án đầu tư", "original", 1, True),
      ("Báo cáo tài chính 2 năm gần nhất", "copy", 1, True)],
     [], "Giấy chứng nhận đăng ký đầu tư", "Luật Đầu tư 2020; Nghị định 31/2021/NĐ-CP"),
    ("1.012757", "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận lần đầu", "DD", "district", P, 20, "days", None,
     [("Đơn đăng ký, cấp Giấy chứng nhận (Mẫu 04/ĐK)", "original", 1, True), ("Giấy tờ về quyền sử dụng đất", "copy", 1, True),
      ("Chứng từ thực hiện nghĩa vụ tài chính", "copy", 1, False)],
     [("Lệ phí cấp Giấy chứng nhận", 100000)], "Giấy chứng nhận quyền sử dụng đất", "Luật Đất đai 2024; Nghị định 101/2024/NĐ-CP"),
    ("1.012764", "Chuyển mục đích sử dụng đất không phải xin phép", "DD", "commune", P, 5, "days", None,
     [DON, ("Giấy chứng nhận quyền sử dụng đất", "original", 1, True)], [], "Xác nhận thay đổi trên Giấy chứng nhận",
     "Luật Đất đai 2024"),
    ("1.010727", "Thẩm định báo cáo đánh giá tác động môi trường", "MT", "dept:SNNMT", P, 25, "days", None,
     [("Văn bản đề nghị thẩm định", "original", 1, True), ("Báo cáo đánh giá tác động môi trường", "original", 1, True),
      ("Báo cáo nghiên cứu khả thi", "copy", 1, True)],
     [("Phí thẩm định báo cáo ĐTM", 5000000)], "Quyết định phê duyệt kết quả thẩm định", "Luật Bảo vệ môi trường 2020; Nghị định 08/2022/NĐ-CP"),
    ("1.010728", "Cấp giấy phép môi trường", "MT", "dept:SNNMT", P, 30, "days", None,
     [("Văn bản đề nghị cấp giấy phép môi trường", "original", 1, True), ("Báo cáo đề xuất cấp giấy phép môi trường", "original", 1, True)],
     [("Phí thẩm định cấp giấy phép môi trường", 3000000)], "Giấy phép môi trường", "Luật Bảo vệ môi trường 2020"),
    ("1.004253", "Cấp giấy phép khai thác, sử dụng nước mặt", "TNN", "dept:SNNMT", P, 30, "days", None,
     [DON, ("Đề án khai thác, sử dụng nước", "original", 1, True)], [("Phí thẩm định đề án", 1500000)],
     "Giấy phép khai thác, sử dụng nước mặt", "Luật Tài nguyên nước 2023"),
    ("1.003605", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (nông nghiệp)", "ATTP", "dept:SNNMT", F, 15, "days", None,
     [DON, ("Bản thuyết minh về cơ sở vật chất", "original", 1, True)], [("Phí thẩm định", 700000)],
     "Giấy chứng nhận cơ sở đủ điều kiện ATTP", "Luật An toàn thực phẩm 2010"),
    ("1.003048", "Cấp giấy phép hoạt động đối với phòng khám chuyên khoa", "KCB", "dept:SYT", P, 30, "days", None,
     [DON, ("Danh sách người hành nghề", "original", 1, True), ("Bản kê cơ sở vật chất, thiết bị y tế", "original", 1, True)],
     [("Phí thẩm định cấp giấy phép hoạt động", 4300000)], "Giấy phép hoạt động", "Luật Khám bệnh, chữa bệnh 2023"),
    ("1.002251", "Cấp chứng chỉ hành nghề dược", "DUOC", "dept:SYT", F, 20, "days", None,
     [DON, ("Văn bằng chuyên môn", "certified_copy", 1, True), ("Giấy xác nhận thời gian thực hành", "original", 1, True)],
     [("Phí thẩm định cấp chứng chỉ hành nghề dược", 500000)], "Chứng chỉ hành nghề dược", "Luật Dược 2016"),
    ("1.004615", "Cấp giấy chứng nhận đủ điều kiện kinh doanh dược (nhà thuốc)", "DUOC", "dept:SYT", P, 20, "days", None,
     [DON, ("Tài liệu kỹ thuật về địa điểm, trang thiết bị", "original", 1, True)],
     [("Phí thẩm định điều kiện kinh doanh thuốc", 1000000)], "Giấy chứng nhận đủ điều kiện kinh doanh dược", "Luật Dược 2016"),
    ("1.005092", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "GDDT", "dept:SGDDT", F, 1, "days", None,
     [DON, CCCD], [], "Bản sao văn bằng, chứng chỉ", "Nghị định 23/2015/NĐ-CP; Thông tư 21/2019/TT-BGDĐT"),
    ("1.005084", "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục", "GDDT", "dept:SGDDT", P, 20, "days", None,
     [("Tờ trình đề nghị cho phép hoạt động", "original", 1, True), ("Quyết định thành lập", "copy", 1, True)],
     [], "Quyết định cho phép hoạt động giáo dục", "Nghị định 125/2024/NĐ-CP"),
    ("1.002809", "Cấp mới giấy phép lái xe", "DB", "dept:SGTVT", P, 10, "days", None,
     [DON, ("Giấy khám sức khỏe của người lái xe", "original", 1, True), CCCD],
     [("Lệ phí cấp giấy phép lái xe", 135000)], "Giấy phép lái xe", "Luật Trật tự, an toàn giao thông đường bộ 2024"),
    ("1.002804", "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "DB", "dept:SGTVT", F, 5, "days", None,
     [("Đơn đề nghị đổi giấy phép lái xe", "original", 1, True), ("Giấy phép lái xe cũ", "copy", 1, True),
      ("Giấy khám sức khỏe", "original", 1, True)],
     [("Lệ phí cấp đổi giấy phép lái xe", 135000)], "Giấy phép lái xe", "Thông tư 35/2024/TT-BGTVT"),
    ("1.001777", "Cấp giấy phép kinh doanh vận tải bằng xe ô tô", "DB", "dept:SGTVT", F, 5, "days", None,
     [DON, ("Phương án kinh doanh", "original", 1, True)], [("Lệ phí cấp giấy phép", 200000)],
     "Giấy phép kinh doanh vận tải bằng xe ô tô", "Nghị định 158/2024/NĐ-CP"),
    ("1.001823", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "VL", "dept:SLDTBXH", F, 5, "days", None,
     [DON, ("Giấy chứng nhận sức khỏe", "original", 1, True), ("Phiếu lý lịch tư pháp", "certified_copy", 1, True),
      ("Ảnh màu 4x6", "original", 2, True)],
     [("Lệ phí cấp giấy phép lao động", 600000)], "Giấy phép lao động", "Bộ luật Lao động 2019; Nghị định 152/2020/NĐ-CP"),
    ("1.010801", "Giải quyết chế độ trợ cấp ưu đãi đối với thân nhân liệt sĩ", "NCC", "dept:SLDTBXH", P, 12, "days", None,
     [("Bản khai thân nhân liệt sĩ", "original", 1, True), ("Giấy báo tử", "copy", 1, True)], [],
     "Quyết định trợ cấp", "Pháp lệnh Ưu đãi người có công 2020; Nghị định 131/2021/NĐ-CP"),
    ("2.000286", "Trợ cấp xã hội hàng tháng đối với đối tượng bảo trợ xã hội", "BTXH", "commune", F, 10, "days", None,
     [("Tờ khai đề nghị trợ giúp xã hội", "original", 1, True), CCCD], [], "Quyết định trợ cấp xã hội",
     "Nghị định 20/2021/NĐ-CP"),
    ("2.000633", "Cấp Giấy phép bán lẻ rượu", "TM", "district", F, 10, "days", None,
     [DON, ("Bản sao Giấy chứng nhận đăng ký kinh doanh", "copy", 1, True)], [("Phí thẩm định", 1200000)],
     "Giấy phép bán lẻ rượu", "Nghị định 105/2017/NĐ-CP"),
    ("2.000620", "Cấp Giấy phép bán buôn rượu trên địa bàn tỉnh", "TM", "dept:SCT", F, 15, "days", None,
     [DON, ("Hợp đồng với nhà cung cấp", "copy", 1, True)], [("Phí thẩm định", 2200000)],
     "Giấy phép bán buôn rượu", "Nghị định 105/2017/NĐ-CP"),
    ("2.000591", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (công thương)", "ATTP", "dept:SCT", P, 20, "days", None,
     [DON, ("Bản thuyết minh về cơ sở vật chất, trang thiết bị", "original", 1, True)], [("Phí thẩm định", 1000000)],
     "Giấy chứng nhận cơ sở đủ điều kiện ATTP", "Luật An toàn thực phẩm 2010"),
    ("1.001029", "Cấp giấy phép tổ chức biểu diễn nghệ thuật", "VH", "dept:SVHTTDL", F, 5, "days", None,
     [DON, ("Kịch bản, danh mục tác phẩm", "original", 1, True)], [("Phí thẩm định chương trình", 1500000)],
     "Văn bản chấp thuận tổ chức biểu diễn", "Nghị định 144/2020/NĐ-CP"),
    ("1.004503", "Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa", "DL", "dept:SVHTTDL", F, 10, "days", None,
     [DON, ("Giấy chứng nhận ký quỹ", "original", 1, True)], [("Phí thẩm định", 3000000)],
     "Giấy phép kinh doanh dịch vụ lữ hành nội địa", "Luật Du lịch 2017"),
    ("1.008396", "Cấp giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", "KHCN", "dept:SKHCN", F, 15, "days", None,
     [DON, ("Điều lệ tổ chức", "copy", 1, True)], [("Phí thẩm định", 1000000)],
     "Giấy chứng nhận đăng ký hoạt động KH&CN", "Luật Khoa học và Công nghệ 2013"),
    ("1.000775", "Tặng Bằng khen của Chủ tịch UBND tỉnh", "TDKT", "dept:SNV", P, 20, "days", None,
     [("Tờ trình đề nghị khen thưởng", "original", 1, True), ("Báo cáo thành tích", "original", 1, True)], [],
     "Quyết định khen thưởng", "Luật Thi đua, khen thưởng 2022; Nghị định 98/2023/NĐ-CP"),
    ("1.009332", "Thành lập hội có phạm vi hoạt động trong tỉnh", "TDKT", "dept:SNV", P, 30, "days", None,
     [DON, ("Dự thảo điều lệ", "original", 1, True), ("Danh sách người trong ban vận động", "original", 1, True)], [],
     "Quyết định cho phép thành lập hội", "Nghị định 126/2024/NĐ-CP"),
    ("2.001708", "Cho phép tổ chức hội nghị, hội thảo quốc tế thuộc thẩm quyền của UBND tỉnh", "LSU", "dept:SNGV", P, 15, "days", None,
     [("Văn bản đề nghị", "original", 1, True), ("Đề án tổ chức hội nghị", "original", 1, True)], [],
     "Văn bản cho phép", "Quyết định 06/2020/QĐ-TTg"),
    ("2.002176", "Tiếp công dân tại cấp tỉnh", "TCD", "dept:TTT", P, 10, "days", None,
     [("Đơn khiếu nại, tố cáo, kiến nghị, phản ánh", "original", 1, True)], [], "Văn bản trả lời", "Luật Tiếp công dân 2013"),
    ("2.001909", "Giải quyết khiếu nại lần hai tại cấp tỉnh", "KNTC", "dept:TTT", P, 45, "days", None,
     [("Đơn khiếu nại", "original", 1, True), ("Quyết định giải quyết khiếu nại lần đầu", "copy", 1, True)], [],
     "Quyết định giải quyết khiếu nại lần hai", "Luật Khiếu nại 2011"),
    ("1.011516", "Công nhận người có uy tín trong đồng bào dân tộc thiểu số", "DT", "dept:BDT", P, 20, "days", None,
     [("Danh sách đề nghị", "original", 1, True)], [], "Quyết định công nhận", "Quyết định 12/2018/QĐ-TTg"),
    ("1.009710", "Cấp Giấy phép lao động cho người nước ngoài làm việc trong khu công nghiệp", "KCN", "dept:BQLKCN", F, 5, "days", None,
     [DON, ("Giấy chứng nhận sức khỏe", "original", 1, True), ("Ảnh màu 4x6", "original", 2, True)],
     [("Lệ phí cấp giấy phép lao động", 600000)], "Giấy phép lao động", "Nghị định 152/2020/NĐ-CP"),
    ("1.008003", "Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật", "NN", "dept:SNNMT", F, 15, "days", None,
     [DON, ("Bản thuyết minh điều kiện buôn bán", "original", 1, True)], [("Phí thẩm định", 500000)],
     "Giấy chứng nhận đủ điều kiện buôn bán thuốc BVTV", "Luật Bảo vệ và kiểm dịch thực vật 2013"),
    ("1.010012", "Cấp đổi Giấy chứng nhận quyền sử dụng đất", "DD", "district", F, 7, "days", None,
     [("Đơn đề nghị cấp đổi (Mẫu 11/ĐK)", "original", 1, True), ("Bản gốc Giấy chứng nhận đã cấp", "original", 1, True)],
     [("Lệ phí cấp đổi", 50000)], "Giấy chứng nhận quyền sử dụng đất", "Luật Đất đai 2024"),
    ("1.003583", "Xác nhận hợp đồng tiếp cận nguồn gen và chia sẻ lợi ích", "MT", "commune", P, 5, "days", None,
     [("Hợp đồng tiếp cận nguồn gen", "original", 1, True)], [], "Văn bản xác nhận", "Nghị định 59/2017/NĐ-CP"),
]


def _h(value):
    return Decimal(value).quantize(Decimal("0.25"), rounding=ROUND_DOWN)


def steps_for(level, time_value, time_unit, unit_name=""):
    """The internal process: 3-5 ordered steps (order, name, unit_name, role, allowance_hours) whose
    allowances sum to at most the statutory time (in working hours; one working day = 8 hours)."""
    total = Decimal(time_value) * (8 if time_unit == "days" else 1)
    if level == "commune":
        plan = [("Tiếp nhận, kiểm tra hồ sơ", "Bộ phận một cửa", "receiving_officer", Decimal("0.1")),
                ("Xử lý, thẩm tra hồ sơ", "Công chức chuyên môn", "specialist", Decimal("0.6")),
                ("Ký duyệt kết quả", "Chủ tịch/Phó Chủ tịch UBND xã", "agency_leader", Decimal("0.25"))]
    elif level == "district":
        plan = [("Tiếp nhận, chuyển hồ sơ", "Bộ phận một cửa huyện", "receiving_officer", Decimal("0.05")),
                ("Thẩm định hồ sơ", unit_name or "Phòng chuyên môn", "specialist", Decimal("0.55")),
                ("Kiểm tra, trình ký", unit_name or "Phòng chuyên môn", "unit_head", Decimal("0.15")),
                ("Phê duyệt, ký kết quả", "Lãnh đạo UBND huyện", "agency_leader", Decimal("0.2"))]
    else:
        plan = [("Tiếp nhận, chuyển hồ sơ", "Bộ phận một cửa", "receiving_officer", Decimal("0.05")),
                ("Thẩm định hồ sơ", unit_name or "Phòng chuyên môn", "specialist", Decimal("0.45")),
                ("Kiểm tra, trình ký", unit_name or "Phòng chuyên môn", "unit_head", Decimal("0.15")),
                ("Phê duyệt, ký kết quả", "Lãnh đạo Sở", "agency_leader", Decimal("0.2"))]
        if total >= 80:  # 10 working days or more: a site inspection step
            plan.insert(2, ("Kiểm tra thực tế", unit_name or "Phòng chuyên môn", "specialist", Decimal("0.1")))
            plan[1] = (plan[1][0], plan[1][1], plan[1][2], Decimal("0.35"))
    steps = []
    for order, (name, unit, role, share) in enumerate(plan, start=1):
        steps.append((order, name, unit, role, max(_h(total * share), Decimal("0.25"))))
    assert sum(s[4] for s in steps) <= total, (level, time_value, time_unit)
    return steps
