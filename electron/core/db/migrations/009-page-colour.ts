import type { Migration } from '../migrate';

/**
 * A page's colour mode as scanned (colour, greyscale, black and white), recorded at import from
 * the pixels already decoded there: postal invoicing counts pages by it, and deriving it at report
 * time meant decoding every page image again (and was impossible once a processor purge removed
 * the image). Pages stored before this migration get it the first time a report needs it.
 */
export const pageColour: Migration = {
  version: 9,
  name: 'page-colour',
  up: `
    ALTER TABLE pages ADD COLUMN colour_mode TEXT
      CHECK (colour_mode IS NULL OR colour_mode IN ('colour', 'greyscale', 'bilevel'));
  `,
};
