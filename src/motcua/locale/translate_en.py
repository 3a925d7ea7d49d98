"""Fill the English catalogue (locale/en/LC_MESSAGES/django.po) from the table below, then compile it.

    cd src/motcua && django-admin makemessages -l en --no-wrap --settings=motcua.settings --pythonpath=.. \
        && python locale/translate_en.py && django-admin compilemessages -l en

Strings not in the table stay untranslated (Vietnamese is shown)."""
import re
from pathlib import Path

try:
    from translate_en_more import MORE, PLURALS as MORE_PLURALS
except ImportError:  # imported as motcua.locale.translate_en
    from motcua.locale.translate_en_more import MORE, PLURALS as MORE_PLURALS

EN = {
    # agencies, roles
    "Tỉnh/Thành phố": "Province/City", "Sở, ban, ngành": "Department", "Quận/Huyện": "District",
    "Xã/Phường/Thị trấn": "Commune/Ward/Town", "Trung tâm phục vụ hành chính công": "Public administration service centre",
    "Phòng/Đơn vị trực thuộc": "Unit", "Cán bộ tiếp nhận": "Receiving officer", "Chuyên viên xử lý": "Specialist",
    "Lãnh đạo phòng": "Unit head", "Lãnh đạo cơ quan": "Agency leader", "Văn thư": "Clerk", "Quản trị": "Administrator",
    # catalogue
    "Toàn trình": "Fully online", "Một phần": "Partly online", "Không trực tuyến": "Not online",
    "ngày làm việc": "working days", "giờ làm việc": "working hours", "Bản chính": "Original", "Bản sao": "Copy",
    "Bản sao chứng thực": "Certified copy", "Bản chính hoặc bản sao": "Original or copy",
    # dossiers
    "Mới đăng ký": "Newly submitted", "Được tiếp nhận": "Received", "Không được tiếp nhận": "Not received",
    "Đang xử lý": "Processing", "Yêu cầu bổ sung giấy tờ": "Supplement requested",
    "Yêu cầu thực hiện nghĩa vụ tài chính": "Financial obligation requested",
    "Công dân yêu cầu rút hồ sơ": "Withdrawn by the applicant", "Dừng xử lý": "Processing stopped",
    "Đã xử lý xong": "Processing finished", "Đã trả kết quả": "Result returned", "Trực tiếp": "In person",
    "Trực tuyến": "Online", "Dịch vụ bưu chính công ích": "Public postal service", "Công dân": "Citizen",
    "Tổ chức, doanh nghiệp": "Organisation or business", "Trước hạn": "Early", "Đúng hạn": "On time",
    "Trễ hạn": "Late", "Chờ bổ sung hồ sơ": "Waiting for a supplement",
    "Chờ thực hiện nghĩa vụ tài chính": "Waiting for a financial obligation", "Thành phần hồ sơ": "Dossier components",
    "Hồ sơ bổ sung": "Supplement", "Kết quả giải quyết": "Result", "Tài liệu khác": "Other document",
    "Thanh toán trên Cổng Dịch vụ công quốc gia": "Paid on the national public service portal",
    "Thanh toán qua cổng thanh toán của tỉnh": "Paid through the province's payment gateway",
    "Nộp trực tiếp tại quầy": "Paid at the counter",
    "Tiếp nhận": "Receive", "Từ chối": "Refuse", "Yêu cầu bổ sung": "Request a supplement",
    "Nhận hồ sơ bổ sung": "Supplement received", "Chuyển bước tiếp theo": "Forward to the next step",
    "Trả về bước trước": "Return to the previous step", "Phê duyệt": "Approve",
    "Yêu cầu nghĩa vụ tài chính": "Request a financial obligation",
    "Đã thực hiện nghĩa vụ tài chính": "Financial obligation fulfilled", "Rút hồ sơ": "Withdraw the dossier",
    "Xin lỗi và gia hạn": "Apologise and extend", "Có kết quả": "Result ready", "Trả kết quả": "Return the result",
    # errors
    "Không tìm thấy hồ sơ %(code)s.": "Dossier %(code)s not found.",
    "Bạn không có vai trò phù hợp để thực hiện thao tác này trên hồ sơ.": "You do not hold a role that allows this act on the dossier.",
    "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại.": "Someone else has just updated the dossier. Reload and try again.",
    "Phải nêu rõ lý do.": "A reason is required.", "Tệp rỗng.": "The file is empty.",
    "Tệp vượt quá dung lượng cho phép (%(mb)d MB).": "The file is larger than allowed (%(mb)d MB).",
    "Chỉ chấp nhận tệp PDF, JPEG, PNG hoặc DOCX.": "Only PDF, JPEG, PNG or DOCX files are accepted.",
    "Phải nhập mã hồ sơ và mã tra cứu.": "Enter the dossier code and the lookup code.",
    "Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập.": "No dossier matches that code and lookup code.",
    "Bạn đã gửi quá nhiều yêu cầu, vui lòng thử lại sau.": "Too many requests; please try again later.",
    "Phải có họ tên người nộp hồ sơ.": "The applicant's name is required.",
    "Số tiền phải lớn hơn 0.": "The amount must be greater than 0.",
    "Điểm đánh giá phải từ 1 đến 5.": "The score must be from 1 to 5.",
    "Kênh tiếp nhận không hợp lệ.": "Invalid intake channel.",
    "Không có thủ tục mã %(code)s đang áp dụng.": "No active procedure with code %(code)s.",
    # base
    "Hệ thống một cửa điện tử": "Electronic one-stop shop", "Bỏ qua, đến nội dung chính": "Skip to main content",
    "Tùy chọn hiển thị": "Display options", "Cỡ chữ": "Text size", "Chữ nhỏ": "Smaller text",
    "Chữ vừa": "Normal text", "Chữ lớn": "Larger text", "Tương phản cao": "High contrast",
    "Điều hướng chính": "Main navigation", "Thủ tục hành chính": "Administrative procedures",
    "Tra cứu hồ sơ": "Dossier lookup", "Tỷ lệ đúng hạn": "On-time rates", "Trang cán bộ": "Officer pages",
    "Hồ sơ của tôi": "My dossiers", "Phản ánh, kiến nghị": "Feedback", "Đăng xuất": "Log out",
    "Đăng nhập": "Log in", "Đăng ký": "Sign up",
    "Motcua — hệ thống một cửa điện tử mã nguồn mở": "Motcua — open-source electronic one-stop shop",
    "Lỗi": "Error", "Không tìm thấy": "Not found", "Không thực hiện được": "Could not be done",
    "Không tìm thấy trang": "Page not found", "Không có quyền truy cập": "Access denied", "Về trang chủ": "Home",
    # office
    "Cơ quan": "Agency", "Có": "Yes", "Không": "No", "Lý do": "Reason", "Từ ngày": "From", "Đến ngày": "To",
    "Hồ sơ": "Dossier", "Mã hồ sơ": "Dossier code", "Thủ tục": "Procedure", "Người nộp": "Applicant",
    "Trạng thái": "Status", "Ngày nộp": "Submitted", "Hạn xử lý": "Due", "Quá hạn": "Overdue",
    "Sắp đến hạn": "Due soon", "Không có hồ sơ nào.": "No dossiers.", "Phân trang": "Pagination",
    "Trang trước": "Previous page", "Trang %(n)s/%(total)s": "Page %(n)s of %(total)s", "Trang sau": "Next page",
    "Danh sách hồ sơ": "Dossiers", "Thông tin chung": "Overview", "đã phê duyệt": "approved",
    "Cơ quan giải quyết": "Competent agency", "Nơi tiếp nhận": "Received at", "Kênh": "Channel",
    "Địa chỉ": "Address", "Liên hệ": "Contact", "Nội dung yêu cầu": "Request", "Ngày tiếp nhận": "Received",
    "Hạn giải quyết": "Statutory due", "Ngày hẹn trả": "Appointment", "Xử lý xong": "Finished",
    "Phí, lệ phí": "Fees", "đã thu": "paid", "Thao tác": "Actions", "Đang chờ": "Waiting",
    "Giấy tờ cần bổ sung": "Documents to supplement",
    "Giấy tờ khác (mỗi dòng một giấy tờ)": "Other documents (one per line)", "Ngày hẹn trả mới": "New appointment",
    "Số tiền (đồng)": "Amount (VND)", "Ghi chú": "Note",
    "Bạn không có thao tác nào trên hồ sơ này ở trạng thái hiện tại.": "You have no action on this dossier in its current status.",
    "Đính kèm tệp": "Attach files", "Loại tệp": "File kind", "Thuộc thành phần": "Component",
    "Tệp (PDF, JPEG, PNG, DOCX)": "File (PDF, JPEG, PNG, DOCX)", "Tải lên": "Upload",
    "Ghi nhận thanh toán": "Record a payment", "Hình thức": "Channel", "Mã giao dịch": "Transaction reference",
    "Ghi nhận": "Record", "In phiếu": "Print forms", "Mẫu %(n)s": "Form %(n)s", "Chưa có phiếu để in.": "No form to print yet.",
    "Tên giấy tờ": "Document", "Loại bản": "Kind of copy", "Số lượng": "Quantity", "Đã nộp": "Provided",
    "Tệp": "Files", "Chưa": "Not yet", "Tệp khác": "Other files", "Quy trình xử lý": "Process steps",
    "Bước": "Step", "Vai trò": "Role", "Thời gian cho phép (giờ)": "Allowance (hours)", "Bắt đầu": "Started",
    "Hạn": "Due", "Hoàn thành": "Finished", "Người xử lý": "Handled by", "Kết quả": "Result",
    "Hồ sơ chưa được tiếp nhận.": "The dossier has not been received yet.", "Tạm dừng và gia hạn": "Pauses and extensions",
    "Gia hạn": "Extension", "Nhật ký xử lý": "History", "Thời điểm": "When", "Người thực hiện": "By",
    "Lý do, ghi chú": "Reason, note", "Tiếp nhận hồ sơ": "Receive a dossier",
    "Tiếp nhận hồ sơ tại quầy": "Counter intake", "— Chọn thủ tục —": "— Choose a procedure —", "Chọn": "Choose",
    "Người nộp hồ sơ": "Applicant", "Đối tượng": "Applicant kind", "Họ tên người nộp": "Applicant's full name",
    "Số định danh/CCCD/MST": "Personal ID / citizen ID / tax code", "Điện thoại": "Phone",
    "4 số cuối điện thoại là mã tra cứu in trên giấy tiếp nhận.": "The last 4 digits of the phone number are the lookup code printed on the receipt.",
    "Thư điện tử": "Email", "Kênh tiếp nhận": "Intake channel", "Số bộ hồ sơ": "Number of sets",
    "Nơi trả kết quả": "Where the result is returned", "Tệp quét (PDF, JPEG, PNG, DOCX)": "Scans (PDF, JPEG, PNG, DOCX)",
    "Không thu phí.": "No fee.", "Đã thu phí tại quầy": "Fee paid at the counter",
    "Tiếp nhận và in giấy hẹn": "Receive and print the receipt", "Sổ theo dõi hồ sơ": "Dossier register",
    "Sổ theo dõi hồ sơ (mẫu 7)": "Dossier register (form 7)", "Xem": "Show", "Tải PDF": "Download PDF",
    "Tải Excel": "Download Excel",
    "Chỉ hiển thị 200 dòng đầu; tệp tải về có đủ các dòng.": "Only the first 200 rows are shown; the downloads have every row.",
    "Không có hồ sơ trong kỳ.": "No dossiers in this period.", "Danh sách công việc": "Worklists",
    "Lọc hồ sơ": "Filter dossiers", "Mã hồ sơ hoặc tên người nộp": "Dossier code or applicant name",
    "Tất cả": "All", "Mã thủ tục": "Procedure code", "Sắp xếp": "Sort by", "Lọc": "Filter",
    "Hạn xử lý sớm nhất": "Earliest due", "Hạn xử lý muộn nhất": "Latest due", "Mới nộp nhất": "Newest",
    "Nộp sớm nhất": "Oldest", "Chờ tiếp nhận": "To receive", "Cần xử lý": "To process",
    "Chờ phê duyệt": "To approve", "Chờ trả kết quả": "To return", "Đang tạm dừng": "Paused",
    "Đã tiếp nhận hồ sơ %(code)s. Hạn trả kết quả: %(due)s.": "Dossier %(code)s received. Result due: %(due)s.",
    "Số lượng giấy tờ không hợp lệ: %(name)s.": "Invalid quantity: %(name)s.",
    "Đã thực hiện: %(action)s.": "Done: %(action)s.", "Chưa chọn tệp.": "No file chosen.",
    "Đã đính kèm %(n)d tệp.": "%(n)d file(s) attached.", "Đã ghi nhận thanh toán.": "Payment recorded.",
    "Nộp hồ sơ": "Submit", "Đính kèm thành phần": "Component attached", "Nộp bổ sung": "Submit the supplement",
    "Đính kèm kết quả": "Result attached", "Đính kèm tài liệu": "Document attached", "Thanh toán": "Payment",
    "Đánh giá hài lòng": "Satisfaction rating",
    # portal
    "Mã": "Code", "Tên thủ tục": "Procedure", "Lĩnh vực": "Field", "Mức độ": "Online level",
    "%(n)s cơ quan": "%(n)s agencies", "Không tìm thấy thủ tục phù hợp.": "No matching procedure.",
    "Danh mục thủ tục hành chính": "Catalogue of administrative procedures", "Tìm thủ tục": "Find a procedure",
    "Từ khóa (có dấu hoặc không dấu)": "Keywords (with or without Vietnamese accents)",
    "Mức độ trực tuyến": "Online level", "Tìm kiếm": "Search", "Gửi phản ánh, kiến nghị": "Send feedback",
    "Họ tên": "Full name", "Điện thoại hoặc thư điện tử": "Phone or email",
    "Mã hồ sơ (nếu phản ánh về một hồ sơ)": "Dossier code (if about a dossier)",
    "Cơ quan bị phản ánh": "Agency concerned", "— Theo hồ sơ —": "— From the dossier —",
    "Nhóm phản ánh": "Category", "Nội dung": "Content", "Gửi": "Send",
    "Nộp hồ sơ trực tuyến": "File online", "Số định danh/CCCD": "Personal ID / citizen ID",
    "4 số cuối điện thoại là mã tra cứu hồ sơ.": "The last 4 digits of the phone number are the lookup code.",
    "Yêu cầu": "Request", "— Chọn cơ quan —": "— Choose an agency —",
    "Chỉ nhận tệp PDF, JPEG, PNG hoặc DOCX; loại tệp được kiểm tra theo nội dung.": "Only PDF, JPEG, PNG or DOCX files; the type is checked from the content.",
    "Xem lại hồ sơ": "Review", "Cổng dịch vụ công": "Public service portal",
    "Cổng dịch vụ công trực tuyến": "Online public service portal", "Tìm thủ tục hành chính": "Find an administrative procedure",
    "Ví dụ: cap giay phep xay dung": "For example: cap giay phep xay dung",
    "Chọn thủ tục, tải lên giấy tờ và nộp hồ sơ; theo dõi kết quả tại mục Hồ sơ của tôi.": "Choose a procedure, upload the documents and submit; follow it under My dossiers.",
    "Xem danh mục thủ tục": "Browse the catalogue",
    "Nhập mã hồ sơ và mã tra cứu in trên giấy tiếp nhận.": "Enter the dossier code and the lookup code printed on the receipt.",
    "Tra cứu tình trạng hồ sơ": "Look up a dossier's status", "Công khai kết quả": "Published results",
    "Tỷ lệ giải quyết hồ sơ đúng hạn của từng cơ quan.": "Each agency's rate of dossiers resolved on time.",
    "Xem tỷ lệ đúng hạn": "See on-time rates",
    "Tên đăng nhập hoặc mật khẩu không đúng.": "Wrong user name or password.", "Tên đăng nhập": "User name",
    "Mật khẩu": "Password", "Chưa có tài khoản?": "No account yet?",
    "Mã tra cứu (4 số cuối điện thoại)": "Lookup code (last 4 digits of the phone)", "Tra cứu": "Look up",
    "Bước hiện tại": "Current step",
    "Hồ sơ đã được nộp. Mã hồ sơ: <strong>%(code)s</strong>; mã tra cứu: <strong>%(secret)s</strong>. Hãy lưu lại để tra cứu.": "The dossier has been submitted. Dossier code: <strong>%(code)s</strong>; lookup code: <strong>%(secret)s</strong>. Keep them to look it up.",
    "Mã tra cứu": "Lookup code", "Giấy tờ khác": "Other document",
    "Tệp bổ sung (PDF, JPEG, PNG, DOCX)": "Supplement files (PDF, JPEG, PNG, DOCX)",
    "Đánh giá mức độ hài lòng": "Rate your satisfaction", "Bạn đã đánh giá": "Your rating",
    "Mức độ hài lòng": "Satisfaction", "Góp ý": "Comment", "Gửi đánh giá": "Send rating", "Phiếu": "Forms",
    "Mẫu %(n)s (PDF)": "Form %(n)s (PDF)", "Quá trình xử lý": "Progress", "Bạn chưa có hồ sơ nào.": "You have no dossiers yet.",
    "Tìm thủ tục để nộp": "Find a procedure to file", "Tỷ lệ giải quyết đúng hạn": "On-time rates",
    "Tỷ lệ giải quyết hồ sơ đúng hạn theo cơ quan": "Dossiers resolved on time, by agency",
    "Tính trên các hồ sơ đã xử lý xong; cập nhật 5 phút một lần.": "Over finished dossiers; refreshed every 5 minutes.",
    "Hồ sơ đã xử lý": "Finished dossiers", "Trước hạn, đúng hạn": "Early or on time", "Chưa có dữ liệu.": "No data yet.",
    "Danh mục thủ tục": "Catalogue", "Thời hạn giải quyết": "Processing time", "Yêu cầu, điều kiện": "Requirements",
    "Căn cứ pháp lý": "Legal basis", "Bắt buộc": "Required",
    "Thủ tục này chỉ nộp trực tiếp hoặc qua bưu chính.": "This procedure is filed in person or by post only.",
    "Xem lại hồ sơ trước khi nộp": "Review before submitting", "Tệp đính kèm": "Attached files",
    "Không có tệp.": "No files.", "Sửa lại": "Edit", "Đăng ký tài khoản": "Create an account",
    "Phiên nộp hồ sơ đã hết hạn, vui lòng nhập lại.": "The filing session has expired; please enter it again.",
    "Đã nộp hồ sơ %(code)s.": "Dossier %(code)s submitted.",
    "Phải có số điện thoại (ít nhất 8 chữ số): 4 số cuối là mã tra cứu hồ sơ.": "A phone number (at least 8 digits) is required: its last 4 digits are the lookup code.",
    "Phải chọn cơ quan giải quyết.": "Choose the competent agency.",
    "Thiếu tệp cho thành phần bắt buộc: %(name)s.": "A file is missing for a required component: %(name)s.",
    "Rất hài lòng": "Very satisfied", "Hài lòng": "Satisfied", "Bình thường": "Neutral",
    "Không hài lòng": "Dissatisfied", "Rất không hài lòng": "Very dissatisfied",
    "Đã nộp %(n)d tệp bổ sung. Cán bộ sẽ kiểm tra và tiếp tục xử lý.": "%(n)d supplement file(s) submitted. An officer will check them and continue.",
    "Cảm ơn bạn đã đánh giá.": "Thank you for your rating.", "Đã rút hồ sơ.": "The dossier was withdrawn.",
    "Đã tạo tài khoản.": "Account created.", "Đã gửi phản ánh, kiến nghị số %(n)s.": "Feedback no. %(n)s sent.",
    "Tiếng Việt": "Vietnamese", "English": "English",
    # counter: routing, channels, incomplete dossiers, what the applicant sees
    "— Chọn cơ quan giải quyết —": "— Choose the deciding agency —",
    "Bạn chỉ tiếp nhận được hồ sơ thuộc thẩm quyền của cơ quan mình; hồ sơ của cơ quan khác được tiếp nhận tại Trung tâm Phục vụ hành chính công.":
        "You may receive only dossiers your own agency decides; dossiers of other agencies are received at the public administration service centre.",
    "Hồ sơ tiếp nhận tại quầy không được ghi là nộp trực tuyến: chọn kênh trực tiếp hoặc bưu chính.":
        "A counter intake cannot be recorded as online: choose in person or postal.",
    "Hồ sơ thiếu thành phần bắt buộc: %(names)s. Không tiếp nhận: hãy lập phiếu yêu cầu bổ sung (Mẫu 2) hoặc từ chối tiếp nhận (Mẫu 3).":
        "Required components are missing: %(names)s. Not received: issue a supplement request (form 2) or refuse (form 3).",
    "Hồ sơ thiếu thành phần bắt buộc: %(names)s. Không tiếp nhận: hãy yêu cầu bổ sung (Mẫu 2) hoặc từ chối tiếp nhận (Mẫu 3).":
        "Required components are missing: %(names)s. Not received: request a supplement (form 2) or refuse (form 3).",
    "Hồ sơ thiếu thành phần bắt buộc: %(names)s.": "Required components are missing: %(names)s.",
    "Hồ sơ thiếu thành phần bắt buộc: không tiếp nhận": "Required components are missing: not received",
    "Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 2)": "Request a supplement (form 2)",
    "Từ chối tiếp nhận hồ sơ (Mẫu 3)": "Refuse to receive (form 3)", "Lập phiếu theo lựa chọn": "Issue the chosen form",
    "Nếu người nộp đã mang đủ giấy tờ, đánh dấu lại các thành phần ở trên rồi bấm “Tiếp nhận và in giấy hẹn”.":
        "If the applicant brought everything, tick the components above again and press “Receive and print the appointment slip”.",
    "Hồ sơ %(code)s chưa được tiếp nhận: đã lập phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 2).":
        "Dossier %(code)s was not received: a supplement request (form 2) was issued.",
    "Hồ sơ %(code)s không được tiếp nhận: đã lập phiếu từ chối (Mẫu 3).":
        "Dossier %(code)s was not received: a refusal (form 3) was issued.",
    "Thành phần đã nhận (đánh dấu giấy tờ người nộp đã mang đến)": "Components received (tick what the applicant brought)",
    "bắt buộc": "required", "nội bộ": "internal", "tài liệu nội bộ": "internal document",
    "Tài liệu khác: cho người nộp xem (mặc định là tài liệu nội bộ)":
        "Other document: show it to the applicant (internal by default)",
    # uploads (docs/uploads.md)
    "Cảnh báo: quét virus đang tắt (MOTCUA_VIRUS_SCAN=off); tệp chưa được quét.": "Warning: virus scanning is off (MOTCUA_VIRUS_SCAN=off); files are not scanned.",
    "đang chờ quét": "awaiting virus scan",
    "Đã quét virus": "Virus-scanned",
    "Đang chờ quét": "Awaiting virus scan",
    "Chưa quét virus": "Not virus-scanned",
    "Có mã độc, đã xoá tệp": "Malware found, file deleted",
    "Tệp vượt quá dung lượng cho phép (%(mb)d MB).": "The file is larger than allowed (%(mb)d MB).",
    "Tệp bị phần mềm diệt virus phát hiện mã độc (%(sig)s).": "The virus scanner found malware in the file (%(sig)s).",
    "Ảnh quá lớn (%(w)d × %(h)d điểm ảnh); tối đa %(max)d triệu điểm ảnh.": "The image is too large (%(w)d × %(h)d pixels); at most %(max)d megapixels.",
    "Tệp ảnh bị hỏng hoặc không đúng định dạng.": "The image file is damaged or not in its format.",
    "Tệp PDF chứa nội dung chủ động (mã lệnh, hành động tự chạy hoặc tệp nhúng): %(what)s. Hãy in lại thành PDF thường (Print to PDF) rồi nộp.": "The PDF contains active content (scripts, automatic actions or embedded files): %(what)s. Print it again to a plain PDF (Print to PDF) and upload that.",
    "Tệp chứa đồng thời nhiều định dạng (ví dụ PDF lẫn ZIP); không được chấp nhận.": "The file is several formats at once (for example PDF and ZIP); not accepted.",
    "Tệp Word chứa macro hoặc đối tượng nhúng (ActiveX/OLE); hãy lưu lại dạng .docx thường hoặc PDF.": "The Word file contains macros or embedded objects (ActiveX/OLE); save it as a plain .docx or a PDF.",
    "Tệp Word tham chiếu mẫu hoặc đối tượng bên ngoài; không được chấp nhận.": "The Word file refers to an outside template or object; not accepted.",
    "Tệp nén quá mức (giải nén quá dung lượng cho phép).": "The file is compressed too much (it unpacks past the allowed size).",
    "Tệp Word có phần bị mã hoá; không kiểm tra được.": "Part of the Word file is encrypted; it cannot be checked.",
    "Tệp Word bị hỏng.": "The Word file is damaged.",
    "Tệp Word chứa khai báo XML không được phép (DOCTYPE/ENTITY).": "The Word file contains XML declarations that are not allowed (DOCTYPE/ENTITY).",
    "Tệp không phải văn bản Word (.docx).": "The file is not a Word document (.docx).",
    "Tệp đang chờ quét virus.": "The file is awaiting a virus scan.",
    "Tài khoản đang có quá nhiều tệp chưa nộp (tối đa %(files)d tệp, %(mb)d MB). Hãy hoàn tất hoặc bỏ các hồ sơ đang soạn, hoặc thử lại sau %(hours)d giờ.": "This account holds too many files not yet submitted (at most %(files)d files, %(mb)d MB). Submit or abandon the filings in progress, or try again in %(hours)d hours.",
    "Không ký tệp PDF có nội dung chủ động: %(what)s.": "A PDF with active content is not signed: %(what)s.",
}


PLURALS = {
    "%(n)s thủ tục": ("%(n)s procedure", "%(n)s procedures"),
    "còn %(days)s ngày": ("%(days)s day left", "%(days)s days left"),
    "%(n)s dấu thời gian lưu trữ": ("%(n)s archive timestamp", "%(n)s archive timestamps"),
    **MORE_PLURALS,
}


def esc(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def unfuzzy(block):
    if not re.search(r"^#, .*fuzzy", block, re.M):
        return block
    lines = [ln for ln in block.split("\n") if not ln.startswith("#| ")]
    lines = [re.sub(r"^#, fuzzy, ", "#, ", ln) if ln.startswith("#, ") else ln for ln in lines]
    lines = [ln for ln in lines if ln != "#, fuzzy"]
    lines = [re.sub(r'^(msgstr(?:\[\d\])?) ".*"$', r'\1 ""', ln) for ln in lines]
    return "\n".join(lines)


def main():
    po = Path(__file__).parent / "en" / "LC_MESSAGES" / "django.po"
    text = po.read_text()
    text = text.replace("#, fuzzy\n", "", 1)
    # makemessages guesses a translation for a new string from an old one ("fuzzy"): the guess is nearly always
    # wrong, so forget it; the tables below give the real translation.
    text = "\n\n".join(unfuzzy(block) for block in text.split("\n\n"))
    for vi, en in {**EN, **MORE}.items():
        text = re.sub(r'(\nmsgid "' + re.escape(esc(vi)) + r'"\nmsgstr )""', lambda m: m.group(1) + '"' + esc(en) + '"', text)
    # plural entries: Vietnamese has one form, English two
    for vi, (one, many) in PLURALS.items():
        text = re.sub(r'(msgid "' + re.escape(esc(vi)) + r'"\nmsgid_plural "[^"\n]*"\n)msgstr\[0\] ""\nmsgstr\[1\] ""',
                      lambda m: m.group(1) + f'msgstr[0] "{esc(one)}"\nmsgstr[1] "{esc(many)}"', text)
    po.write_text(text)


if __name__ == "__main__":
    main()
