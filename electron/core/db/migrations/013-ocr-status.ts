import type { Migration } from '../migrate';

/**
 * OCR: a cancelled page is its own state (it was stored as failed with a set message), and every
 * page records the hash of its decoded pixels, so the same page image arriving in another file
 * format (a PNG, then the same scan inside a PDF) is recognized once.
 *
 * SQLite cannot change a CHECK constraint in place and the pages table is referenced from many
 * tables, so instead of a rebuild the status moves to a new column with the wider CHECK: add,
 * copy, drop the old one, rename (column order is never relied on).
 */
export const ocrStatus: Migration = {
  version: 13,
  name: 'ocr-status',
  up: `
    ALTER TABLE pages ADD COLUMN ocr_state TEXT NOT NULL DEFAULT 'queued'
      CHECK (ocr_state IN ('queued', 'running', 'done', 'failed', 'cancelled'));
    UPDATE pages SET ocr_state = CASE
      WHEN ocr_status = 'failed' AND ocr_error = 'Đã hủy nhận dạng.' THEN 'cancelled'
      ELSE ocr_status END;
    UPDATE pages SET ocr_error = NULL WHERE ocr_state = 'cancelled';
    ALTER TABLE pages DROP COLUMN ocr_status;
    ALTER TABLE pages RENAME COLUMN ocr_state TO ocr_status;

    -- Set when OCR first reads the page: sha256 of its decoded greyscale pixels (and size), for
    -- exact twins; its mean grey level and a 16 x 16 thumbnail, to find twins whose decoders
    -- differ by anti-aliasing (the same scan as a PNG and rendered from a PDF), compared in full.
    ALTER TABLE pages ADD COLUMN pixel_sha256 TEXT;
    ALTER TABLE pages ADD COLUMN pixel_mean INTEGER;
    ALTER TABLE pages ADD COLUMN pixel_print BLOB;
    CREATE INDEX pages_by_pixels ON pages(pixel_sha256) WHERE pixel_sha256 IS NOT NULL;
    CREATE INDEX pages_by_pixel_mean ON pages(width, height, pixel_mean) WHERE pixel_mean IS NOT NULL;
  `,
};
