/** UI text of the reception receipt button, joined into the app's dictionaries. */
export const receiptVi = {
  'receipt.print': 'In giấy tiếp nhận',
  'receipt.printTitle': 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01, khổ A5): tải PDF để in; bấm lại để in lại',
  'receipt.preparing': 'Đang tạo giấy tiếp nhận…',
  'receipt.failed': 'Không tạo được giấy tiếp nhận.',
} as const;

export const receiptEn: Record<keyof typeof receiptVi, string> = {
  'receipt.print': 'Print receipt',
  'receipt.printTitle':
    'Reception receipt with the return date (form 01, A5): downloads a PDF to print; click again to reprint',
  'receipt.preparing': 'Preparing the receipt…',
  'receipt.failed': 'Could not make the receipt.',
};
