import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what survived its last full collection before it starts the
 * next one: to twice that, where V8 itself chooses about 1.1 to 1.2 times on the backend's heap.
 *
 * Why: V8 counts the buffers allocated outside its heap since the last full collection against
 * that limit. The backend's heap is small (about 25 MB of code and objects) while each page
 * allocates 40-50 MB of pixel buffers (decodes, working copies, OCR input), so V8's own choice
 * made three full collections a page: about 80 CPU-ms of the main thread's 250 and as much on
 * V8's helper threads, marking the same 25 MB each time. At twice: about one a page (measured
 * on bench:ocr's pages in the warm app: 44-48 full collections for 15 pages down to 17-25, and
 * 1.72-1.74 CPU-s a page down to 1.64-1.66). The price is up to one live heap of garbage more
 * between collections.
 *
 * V8 reads this flag at every collection, so setting it in a running process works; it changes
 * this process only. Every host (desktop, browser mode, command line) opens the backend, which
 * sets it.
 */
const HEAP_GROWING_PERCENT = 100;

export function tuneGarbageCollection(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
