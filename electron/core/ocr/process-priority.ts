import { constants, getPriority, setPriority } from 'node:os';

/**
 * The priority the backend's process takes where a process has one priority for all its threads.
 * Linux gives each thread its own nice value: there only the OCR threads step down
 * (OCR_THREAD_NICE, worker-script.ts) and this is not needed.
 */
export const BACKEND_PROCESS_PRIORITY = constants.priority.PRIORITY_BELOW_NORMAL;

/**
 * On Windows and macOS Node sets no thread's priority of its own, and the OCR threads run at the
 * priority of the backend's process: on a counter's two cores they took turns with the app's
 * window (Electron's renderer and main process, or the browser in browser mode), which stuttered
 * while a batch was read. The backend's process (desktop: its utility process; browser mode: the
 * server) steps below normal instead, so the window always gets a core first. Its own thread, which
 * answers the clerk's calls, shares the lower priority with the OCR threads, as it shares the cores
 * with them at any priority there; the OS lifts a thread woken by an arriving message for a while.
 *
 * Never raises a priority the process was started with. Returns whether the priority was set.
 */
export function stepBelowTheWindow(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'win32' && platform !== 'darwin') return false;
  try {
    // Higher numbers are lower priorities, on every system (Node maps Windows' classes so).
    if (getPriority() >= BACKEND_PROCESS_PRIORITY) return false;
    setPriority(BACKEND_PROCESS_PRIORITY);
    return true;
  } catch {
    // Only a courtesy to the window: the app works the same at its usual priority.
    return false;
  }
}
