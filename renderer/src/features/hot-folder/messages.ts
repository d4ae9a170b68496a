/** UI text of the scanner hot folder settings, joined into the app's dictionaries. Vietnamese first. */
export const hotFolderVi = {
  'hotFolder.title': 'Thư mục máy quét',
  'hotFolder.intro':
    'Tệp mà phần mềm máy quét lưu vào các thư mục này được tự động nhập vào hồ sơ đang mở (hoặc hộp thư chờ khi chưa mở hồ sơ nào), rồi chuyển vào thư mục con “archive”. Không tệp nào bị xóa.',
  'hotFolder.pathsLabel': 'Đường dẫn đầy đủ, mỗi dòng một thư mục',
  'hotFolder.save': 'Lưu thư mục',
  'hotFolder.saved': 'Đã lưu.',
  'hotFolder.unreachable': 'không truy cập được',
  'hotFolder.watching': 'Đang theo dõi',
  'hotFolder.notWatching': 'Chưa theo dõi (chỉ ứng dụng đang chạy mới theo dõi)',
  'hotFolder.targetDossier': 'Tệp mới vào hồ sơ đang mở',
  'hotFolder.targetInbox': 'Tệp mới vào hộp thư chờ',
  'hotFolder.recent': 'Tệp nhận gần đây',
  'hotFolder.none': 'Chưa nhận tệp nào.',
  'hotFolder.status.claimed': 'Đang nhận',
  'hotFolder.status.moved': 'Đang nhập',
  'hotFolder.status.imported': 'Đã nhập',
  'hotFolder.status.duplicate': 'Trùng tệp đã có',
  'hotFolder.status.refused': 'Bị từ chối',
  'hotFolder.pages': '{n} trang',
};

export const hotFolderEn: Record<keyof typeof hotFolderVi, string> = {
  'hotFolder.title': 'Scanner folders',
  'hotFolder.intro':
    'Files your scanner software saves into these folders are imported into the open dossier (or the inbox when none is open), then moved into an “archive” subfolder. Nothing is deleted.',
  'hotFolder.pathsLabel': 'Full paths, one folder per line',
  'hotFolder.save': 'Save folders',
  'hotFolder.saved': 'Saved.',
  'hotFolder.unreachable': 'not reachable',
  'hotFolder.watching': 'Watching',
  'hotFolder.notWatching': 'Not watching (only a running app watches)',
  'hotFolder.targetDossier': 'New files go into the open dossier',
  'hotFolder.targetInbox': 'New files go into the inbox',
  'hotFolder.recent': 'Recently received',
  'hotFolder.none': 'Nothing received yet.',
  'hotFolder.status.claimed': 'Receiving',
  'hotFolder.status.moved': 'Importing',
  'hotFolder.status.imported': 'Imported',
  'hotFolder.status.duplicate': 'Duplicate of a stored file',
  'hotFolder.status.refused': 'Refused',
  'hotFolder.pages': '{n|# page|# pages}',
};
