/**
 * A page's colour mode for postal invoicing, told the way the archival PDF keeps the page
 * (pdf/page-image.ts): `colour` when it has colour (a red seal, a blue signature), `greyscale`
 * for continuous tone or text with grey edges, `bilevel` when the scan is black and white already.
 *
 * Import records it (pages.colour_mode, migration 009); this derives it from the stored image for
 * pages stored before that, and the report writes it back, so each page is decoded at most once.
 */
import type { BlobStore } from '../files/blob-store';
import { log } from '../log';
import { pageColourMode as decideColourMode, type ColourMode } from '../pdf/page-image';

export type { ColourMode };

/** One stored image's mode, or null when the image is missing or unreadable (never guessed). */
async function storedImageColourMode(store: BlobStore, imageSha256: string): Promise<ColourMode | null> {
  try {
    return await decideColourMode(await store.read(imageSha256));
  } catch {
    return null;
  }
}

/** Modes of many images, a few at a time (the machine's cores are shared with OCR). */
export async function pageColourModes(
  store: BlobStore,
  images: Iterable<string>,
  parallel = 2,
): Promise<Map<string, ColourMode | null>> {
  const queue = [...new Set(images)];
  const modes = new Map<string, ColourMode | null>();
  const worker = async (): Promise<void> => {
    for (let sha = queue.pop(); sha !== undefined; sha = queue.pop()) {
      modes.set(sha, await storedImageColourMode(store, sha));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const unknown = [...modes.values()].filter((m) => m === null).length;
  if (unknown > 0) log.warn('reports', `colour mode unknown for ${unknown} page image(s): missing or unreadable`);
  return modes;
}
