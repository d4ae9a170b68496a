/**
 * The backend's main thread also answers the clerk: IPC calls in the desktop app, HTTP requests in
 * browser mode. Pixel work on a 300 dpi page (straightening, page analysis, the OCR copy's ink scan
 * and hash) held it for 50-100 ms a step, and a click during a batch import waited behind each.
 * Long work awaits this between its steps: calls that came in meanwhile are answered first.
 */
export function letOthersIn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
