import { spawnSync } from 'node:child_process';
import { constants, getPriority } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BELOW_NORMAL = constants.priority.PRIORITY_BELOW_NORMAL;

/**
 * stepBelowTheWindow in a child process of its own, so this test's priority is left alone. On
 * Linux setPriority() without a pid sets the calling thread only (on Windows and macOS, the whole
 * process): the child's steps all run on its main thread, whose priority is what they read.
 */
function priorities(steps: string): { step: string; set: boolean; priority: number }[] {
  const script = `(async () => {
    const os = await import('node:os');
    const { stepBelowTheWindow } = await import(${JSON.stringify(path.resolve('electron/core/ocr/process-priority.ts'))});
    const seen = [];
    for (const step of ${steps}) {
      if (typeof step === 'number') { os.setPriority(step); continue; }
      const set = stepBelowTheWindow(step);
      seen.push({ step, set, priority: os.getPriority() });
    }
    process.stdout.write(JSON.stringify(seen));
  })();`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--eval', script], { encoding: 'utf8' });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as { step: string; set: boolean; priority: number }[];
}

describe('the backend steps below the window where a process has one priority', () => {
  // The child starts at this process's priority: it must be above below normal for a step down.
  const start = getPriority();
  it.runIf(process.platform !== 'win32' && start < BELOW_NORMAL)(
    'on Windows and macOS only, below normal, and never above where it started',
    () => {
      // Linux first: the OCR threads set their own there, the backend's process keeps its own.
      // Then macOS and Windows from normal, once more at below normal, and from a lower start.
      const seen = priorities(`['linux', 'darwin', 'win32', 15, 'win32', 'darwin']`);
      expect(seen).toEqual([
        { step: 'linux', set: false, priority: start },
        { step: 'darwin', set: true, priority: BELOW_NORMAL },
        { step: 'win32', set: false, priority: BELOW_NORMAL },
        { step: 'win32', set: false, priority: 15 },
        { step: 'darwin', set: false, priority: 15 },
      ]);
    },
  );
});
