import { rgb, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';

/**
 * A QR code drawn on a PDF page as one vector path, `size` points wide including its 4-module
 * quiet zone, with its top-left corner at (`x`, `top`). One path, not a rectangle per module:
 * renderers anti-alias each filled shape on its own, and the hairline seams between separate
 * rectangles break the code when the page is rasterised at scanner resolution.
 */
export function drawQrCode(
  page: PDFPage,
  text: string,
  place: { x: number; top: number; size: number; errorCorrection: 'M' | 'H' },
): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: place.errorCorrection });
  const n = qr.modules.size;
  const module = place.size / (n + 8);
  const parts: string[] = [];
  for (let row = 0; row < n; row++) {
    // Runs of dark modules in a row as one sub-path each: fewer drawing operations.
    let col = 0;
    while (col < n) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      let end = col;
      while (end < n && qr.modules.get(row, end)) end++;
      // SVG coordinates: y grows downwards from the path's origin (the code's top-left corner).
      parts.push(
        `M${(4 + col) * module} ${(4 + row) * module}h${(end - col) * module}v${module}h${-(end - col) * module}Z`,
      );
      col = end;
    }
  }
  page.drawSvgPath(parts.join(''), { x: place.x, y: place.top, color: rgb(0, 0, 0), borderWidth: 0 });
}
