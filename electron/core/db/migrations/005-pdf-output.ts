import type { Migration } from '../migrate';

/**
 * Digitized output: the OCR lines that place the PDF text layer on each baseline, and the PDFs
 * already generated, so a second download (or a ZIP of a dossier) does not render them again.
 */
export const pdfOutput: Migration = {
  version: 5,
  name: 'pdf-output',
  up: `
    -- JSON: [{ b: [x0, y0, x1, y1], bl: [x0, y0, x1, y1], h, d, n }], the lines of ocr_words in
    -- reading order (n words each, baseline bl), in page pixels. NULL for pages recognized before.
    ALTER TABLE pages ADD COLUMN ocr_lines TEXT;

    -- One current PDF per document or dossier. input_key hashes everything the PDF is made from
    -- (images, OCR words, metadata, renderer version): when it changes the PDF is made again.
    CREATE TABLE pdf_renditions (
      subject    TEXT PRIMARY KEY CHECK (subject GLOB 'document:*' OR subject GLOB 'dossier:*'),
      input_key  TEXT NOT NULL,
      sha256     TEXT NOT NULL REFERENCES blobs(sha256),
      size       INTEGER NOT NULL,
      page_count INTEGER NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
  `,
};
