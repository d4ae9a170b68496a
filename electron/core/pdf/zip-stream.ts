import { Zip, ZipPassThrough } from 'fflate';

export interface ZipEntry {
  /** Path inside the archive (ASCII keeps every unzip tool happy). */
  name: string;
  /** The entry's bytes, read when the archive reaches it. */
  open(): AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  mtime: Date;
}

/**
 * A ZIP archive as a stream of chunks, one entry after another, never the whole archive in
 * memory. Entries are stored, not deflated: they are PDFs of already-compressed images.
 * Consume it with `stream.pipeline(Readable.from(zipChunks(...)), out)` for backpressure.
 */
export async function* zipChunks(entries: readonly ZipEntry[]): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  const drain = function* (): Generator<Uint8Array> {
    if (failure) throw failure;
    while (ready.length > 0) {
      const chunk = ready.shift();
      if (chunk) yield chunk;
    }
  };
  for (const entry of entries) {
    const file = new ZipPassThrough(entry.name);
    file.mtime = entry.mtime;
    zip.add(file);
    for await (const chunk of entry.open()) {
      file.push(chunk);
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    yield* drain();
  }
  zip.end();
  yield* drain();
}
