// The notifications module's Vietnamese texts (pages and message templates), spread into vi.ts.
// Templates: {name} is a parameter; an SMS stays short (Vietnamese with diacritics is sent as UCS-2, 70 characters
// a segment), so it leaves out the procedure's name and the lists, which the tracking page shows.
export const notificationsVi = {
  'error.NOTIFICATION_REQUEST_INVALID':
    'Hệ thống không tạo được thông báo gửi cho người dân nên chưa lưu thay đổi. Đây là lỗi của phần mềm: hãy báo quản trị viên.',

  'notification.template.one_time_code.name': 'Mã xác thực (OTP)',
  'notification.template.one_time_code.subject': 'Mã xác thực xã số: {code}',
  'notification.template.one_time_code.email':
    'Mã xác thực của bạn là: {code}\n\nMã có hiệu lực trong {minutes} phút. Không đưa mã này cho bất kỳ ai, kể cả người tự xưng là cán bộ.\n\nNếu bạn không yêu cầu mã, hãy bỏ qua thư này.',
  'notification.template.one_time_code.sms':
    'Mã xác thực xã số của bạn: {code}, hiệu lực {minutes} phút. Không đưa mã cho bất kỳ ai.',

  'notification.template.dossier_submitted.name': 'Đã nộp hồ sơ trực tuyến',
  'notification.template.dossier_submitted.subject': 'Đã nộp hồ sơ {code}',
  'notification.template.dossier_submitted.email':
    'Hồ sơ của bạn đã được nộp trực tuyến.\n\nMã hồ sơ: {code}\nThủ tục: {procedureName}\n\nBộ phận một cửa sẽ kiểm tra và tiếp nhận hồ sơ; khi tiếp nhận, bạn sẽ nhận được thông báo kèm ngày hẹn trả kết quả.\n\nTheo dõi hồ sơ: {trackingUrl}',
  'notification.template.dossier_submitted.sms':
    'Hồ sơ {code} đã được nộp trực tuyến, đang chờ bộ phận một cửa tiếp nhận. Theo dõi: {trackingUrl}',

  'notification.template.dossier_received.name': 'Đã tiếp nhận hồ sơ',
  'notification.template.dossier_received.subject': 'Đã tiếp nhận hồ sơ {code}',
  'notification.template.dossier_received.email':
    'Hồ sơ của bạn đã được tiếp nhận.\n\nMã hồ sơ: {code}\nThủ tục: {procedureName}\nHẹn trả kết quả: {dueAt}\n\nTheo dõi hồ sơ: {trackingUrl}',
  'notification.template.dossier_received.sms':
    'Hồ sơ {code} đã được tiếp nhận. Hẹn trả kết quả: {dueAt}. Theo dõi: {trackingUrl}',

  'notification.template.dossier_returned_online.name': 'Hồ sơ trực tuyến chưa được tiếp nhận',
  'notification.template.dossier_returned_online.subject': 'Hồ sơ {code} chưa được tiếp nhận, cần hoàn thiện',
  'notification.template.dossier_returned_online.email':
    'Hồ sơ nộp trực tuyến của bạn chưa được tiếp nhận.\n\nMã hồ sơ: {code}\nLý do, nội dung cần hoàn thiện: {reasons}\n\nHãy hoàn thiện hồ sơ theo hướng dẫn rồi nộp lại.\n\nTheo dõi hồ sơ: {trackingUrl}',
  'notification.template.dossier_returned_online.sms':
    'Hồ sơ {code} chưa được tiếp nhận, cần hoàn thiện. Xem lý do và hướng dẫn: {trackingUrl}',

  'notification.template.supplement_requested.name': 'Yêu cầu bổ sung hồ sơ',
  'notification.template.supplement_requested.subject': 'Yêu cầu bổ sung hồ sơ {code}',
  'notification.template.supplement_requested.email':
    'Cơ quan giải quyết đề nghị bạn bổ sung hồ sơ.\n\nMã hồ sơ: {code}\nGiấy tờ cần bổ sung: {items}\n\nThời gian chờ bổ sung không tính vào thời hạn giải quyết; ngày hẹn trả kết quả mới sẽ được tính khi nhận đủ hồ sơ bổ sung.\n\nTheo dõi hồ sơ: {trackingUrl}',
  'notification.template.supplement_requested.sms':
    'Hồ sơ {code} cần bổ sung giấy tờ. Xem danh sách cần bổ sung: {trackingUrl}',

  'notification.template.result_ready.name': 'Đã có kết quả',
  'notification.template.result_ready.subject': 'Hồ sơ {code} đã có kết quả',
  'notification.template.result_ready.email':
    'Hồ sơ của bạn đã có kết quả.\n\nMã hồ sơ: {code}\nThủ tục: {procedureName}\nNơi nhận kết quả: {place}\n\nKhi đến nhận, hãy mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả và giấy tờ tùy thân.\n\nTheo dõi hồ sơ: {trackingUrl}',
  'notification.template.result_ready.sms':
    'Hồ sơ {code} đã có kết quả. Nơi nhận: {place}. Chi tiết: {trackingUrl}',

  'notification.template.late_apology.name': 'Xin lỗi và hẹn lại ngày trả kết quả',
  'notification.template.late_apology.subject': 'Phiếu xin lỗi và hẹn lại ngày trả kết quả – hồ sơ {code}',
  'notification.template.late_apology.email':
    'Cơ quan giải quyết thành thật xin lỗi vì hồ sơ của bạn chưa được giải quyết đúng hẹn.\n\nMã hồ sơ: {code}\nLý do: {reason}\nNgày hẹn trả kết quả mới: {newDueAt}\n\nPhiếu xin lỗi và hẹn lại ngày trả kết quả được gửi kèm hồ sơ; bạn có thể xem tại trang theo dõi.\n\nTheo dõi hồ sơ: {trackingUrl}',
  'notification.template.late_apology.sms':
    'Xin lỗi vì hồ sơ {code} bị chậm. Hẹn trả kết quả mới: {newDueAt}. Chi tiết: {trackingUrl}',

  'notification.channel.email': 'Thư điện tử',
  'notification.channel.sms': 'Tin nhắn SMS',
  'notification.status.pending': 'Chờ gửi',
  'notification.status.sending': 'Đang gửi',
  'notification.status.sent': 'Đã gửi',
  'notification.status.failed': 'Gửi thất bại',
  'notification.status.retrying': 'Đang thử gửi lại',
  'notification.status.problems': 'Lỗi và đang thử lại',

  'notification.error.emailNotConfigured':
    'Chưa cấu hình máy chủ thư (SMTP_URL): không gửi được thư điện tử.',
  'notification.error.smsNotConfigured': 'Chưa cấu hình cổng gửi tin nhắn SMS: không gửi được tin nhắn.',
  'notification.error.interrupted': 'Lần gửi cuối bị gián đoạn (máy chủ ứng dụng dừng giữa chừng).',

  'notification.inbox.title': 'Hộp thư thử nghiệm',
  'notification.inbox.intro':
    'Trong môi trường phát triển và thử nghiệm, thư điện tử và tin nhắn SMS không được gửi ra ngoài mà nằm ở đây, mới nhất trước.',
  'notification.inbox.devOnly':
    'Đây là công cụ dành cho người phát triển: trang không cần đăng nhập và không có khi chạy ở môi trường vận hành (production).',
  'notification.inbox.destination': 'Người nhận (số điện thoại hoặc địa chỉ thư)',
  'notification.inbox.destinationHint': 'Có thể gõ một phần, ví dụ 4 số cuối của số điện thoại.',
  'notification.inbox.filter': 'Lọc',
  'notification.inbox.clear': 'Xem tất cả',
  'notification.inbox.empty': 'Chưa có thư hay tin nhắn nào.',
  'notification.inbox.count': '{count} thư, tin nhắn',
  'notification.inbox.receivedAt': 'Thời gian',
  'notification.inbox.channel': 'Kênh',
  'notification.inbox.to': 'Người nhận',
  'notification.inbox.subject': 'Tiêu đề',
  'notification.inbox.body': 'Nội dung',

  'notification.admin.title': 'Thông báo gửi người dân',
  'notification.admin.intro':
    'Thư điện tử và tin nhắn SMS được gửi qua hàng đợi: khi một kênh lỗi, hệ thống tự gửi lại sau 30 giây, 1, 2, 4, 8 phút; sau 6 lần không được thì dừng và ghi lỗi để quản trị viên kiểm tra.',
  'notification.admin.counts': 'Số lượng theo trạng thái',
  'notification.admin.countCapped': 'trên {count}',
  'notification.admin.show': 'Xem',
  'notification.admin.empty': 'Không có thông báo nào ở trạng thái này.',
  'notification.admin.createdAt': 'Tạo lúc',
  'notification.admin.channel': 'Kênh',
  'notification.admin.to': 'Người nhận',
  'notification.admin.template': 'Loại thông báo',
  'notification.admin.dossier': 'Mã hồ sơ',
  'notification.admin.status': 'Trạng thái',
  'notification.admin.attempts': 'Số lần gửi',
  'notification.admin.nextAttemptAt': 'Gửi lại lúc',
  'notification.admin.lastError': 'Lỗi gần nhất',
  'notification.admin.sentAt': 'Gửi được lúc',
  'notification.admin.total': '{count} thông báo',
} as const;
