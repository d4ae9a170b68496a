/**
 * Keeps the backend's process running for the shell. The backend runs apart from the window so
 * that SQL, pixel work and OCR never freeze it; it can still die (a native crash decoding a
 * damaged scan, memory running out). Without this, every call in flight and every call after it
 * waited for ever and the window looked frozen until the clerk quit the app. Now the calls in
 * flight fail with a message that says what happened, the process is started again (what it had
 * stored is on disk, and its OCR queue is in the database: recognition goes on), and calls made
 * meanwhile wait for it. A process whose thread stops answering (stuck in a loop) is ended and
 * started again the same way. A process that keeps dying is given up on, so the shell can say so.
 *
 * No Electron here: the shell hands it a way to start the process (utilityProcess.fork), and the
 * tests a Node child process.
 */
import type { FromCore, ToCore } from './core-protocol';
import { CrashBudget } from './crash-budget';

/** What the supervisor needs of the backend's process (Electron's UtilityProcess has it). */
export interface CoreProcess {
  postMessage(message: ToCore): void;
  on(event: 'message', listener: (message: FromCore) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): unknown;
  /** Set once started: a process that stopped answering is ended by it. */
  readonly pid?: number | undefined;
}

/** A request to the backend, answered by one message with the same id. */
export type CoreRequest = Exclude<ToCore, { type: 'sealed' | 'ping' }>;
/** A message the backend sends on its own: events, and its questions to the shell. */
export type CoreNotice = Extract<FromCore, { type: 'event' } | { type: 'seal' }>;

/** Why a request got no answer. */
export class CoreStopped extends Error {
  constructor(readonly gaveUp: boolean) {
    super(gaveUp ? 'the backend process keeps stopping' : 'the backend process stopped');
    this.name = 'CoreStopped';
  }
}

export interface SupervisorOptions {
  start: () => CoreProcess;
  onNotice: (message: CoreNotice, reply: (message: ToCore) => void) => void;
  /** The process stopped this many times within `crashWindowMs`: not started again. */
  onGiveUp: () => void;
  /** Also told when the process stops unasked (its exit code), for the log. */
  onExit?: (code: number) => void;
  maxCrashes?: number;
  crashWindowMs?: number;
  /** Waits before a restart: the first, doubled for each recent crash up to the last. */
  restartDelayMs?: readonly [first: number, last: number];
  /**
   * A ready process is asked every `everyMs` whether it still answers, and ended when it has said
   * nothing for `hangMs`. The backend's thread steps aside every few ms during long work; the
   * longest single step seen (a dossier PDF's save) takes seconds, not a minute.
   */
  heartbeat?: { everyMs: number; hangMs: number };
  /** Told when a process is ended for not answering, for the log. */
  onHang?: () => void;
}

interface Pending {
  resolve: (message: FromCore) => void;
  reject: (error: CoreStopped) => void;
}

export class CoreSupervisor {
  private child: CoreProcess | null = null;
  /** Settles when the current (or next) process is ready; rejects if it stops first. */
  private ready: Promise<void> = Promise.resolve();
  private readonly pending = new Map<number, Pending>();
  private readonly crashes: CrashBudget;
  private stopping = false;
  private gaveUp = false;
  private nextPing = 1;

  constructor(private readonly options: SupervisorOptions) {
    this.crashes = new CrashBudget(options.maxCrashes ?? 5, options.crashWindowMs ?? 120_000);
  }

  /** Starts the process; resolves once a backend is ready, rejects once it is given up on. */
  start(): Promise<void> {
    this.spawn();
    return this.readyProcess().then(() => undefined);
  }

  /** Sends a request once the backend is ready; rejects with CoreStopped if it stops first. */
  async request<T extends FromCore>(message: CoreRequest): Promise<T> {
    const child = await this.readyProcess();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(message.id, { resolve: (reply) => resolve(reply as T), reject });
      try {
        child.postMessage(message);
      } catch {
        // Died a moment ago, its exit not yet told: the restart is on its way.
        this.pending.delete(message.id);
        reject(new CoreStopped(false));
      }
    });
  }

  /** Stops the process for good (the app quits): no restart. */
  stop(): void {
    this.stopping = true;
    this.child?.kill();
  }

  private spawn(): void {
    const child = this.options.start();
    this.child = child;
    let heard = Date.now();
    let heartbeat: ReturnType<typeof setInterval> | null = null;
    this.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (message) => {
        heard = Date.now();
        if (message.type === 'ready') {
          resolve();
          heartbeat = this.listen(child, () => heard);
        } else if (message.type === 'pong') return;
        else if (message.type === 'event' || message.type === 'seal')
          this.options.onNotice(message, (answer) => child.postMessage(answer));
        else this.settle(message);
      });
      child.on('exit', (code) => {
        if (heartbeat) clearInterval(heartbeat);
        // Before 'ready': the calls waiting for it wait for the next process instead.
        reject(new CoreStopped(false));
        this.exited(child, code);
      });
    });
    this.ready.catch(() => undefined);
  }

  /** Asks a ready process, now and then, whether it answers; ends it once it has gone quiet. */
  private listen(child: CoreProcess, lastHeard: () => number): ReturnType<typeof setInterval> {
    const { everyMs, hangMs } = this.options.heartbeat ?? { everyMs: 10_000, hangMs: 60_000 };
    const timer = setInterval(() => {
      if (Date.now() - lastHeard() > hangMs) {
        clearInterval(timer);
        this.options.onHang?.();
        // Not asked to close: a stuck thread never runs its SIGTERM handler. Its exit restarts it.
        if (child.pid) process.kill(child.pid, 'SIGKILL');
        else child.kill();
        return;
      }
      try {
        child.postMessage({ type: 'ping', id: this.nextPing++ });
      } catch {
        // Already gone: its exit is on its way.
      }
    }, everyMs);
    return timer;
  }

  /** The running process, once ready: through restarts, until it is given up on or stopped. */
  private async readyProcess(): Promise<CoreProcess> {
    for (;;) {
      if (this.gaveUp || this.stopping) throw new CoreStopped(this.gaveUp);
      const generation = this.ready;
      try {
        await generation;
      } catch (error) {
        // A newer generation took over meanwhile (a restart): wait for that one.
        if (this.ready === generation) throw error;
        continue;
      }
      if (this.child && this.ready === generation) return this.child;
    }
  }

  private settle(message: Exclude<FromCore, CoreNotice | { type: 'ready' }>): void {
    const waiting = this.pending.get(message.id);
    this.pending.delete(message.id);
    waiting?.resolve(message);
  }

  private exited(child: CoreProcess, code: number): void {
    if (this.child !== child) return;
    this.child = null;
    for (const waiting of this.pending.values()) waiting.reject(new CoreStopped(false));
    this.pending.clear();
    if (this.stopping) return;
    this.options.onExit?.(code);
    const recent = this.crashes.record();
    if (this.crashes.spent(recent)) {
      this.gaveUp = true;
      this.ready = Promise.reject(new CoreStopped(true));
      this.ready.catch(() => undefined);
      this.options.onGiveUp();
      return;
    }
    const [first, last] = this.options.restartDelayMs ?? [500, 8_000];
    const delay = Math.min(first * 2 ** (recent - 1), last);
    // Calls made meanwhile wait for the new process.
    this.ready = new Promise<void>((resolve) => setTimeout(resolve, delay)).then(() => {
      if (this.stopping) throw new CoreStopped(false);
      this.spawn();
      return this.ready;
    });
    this.ready.catch(() => undefined);
  }
}
