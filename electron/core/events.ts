import { EventEmitter } from 'node:events';
import type { EventMap, EventName } from '../../shared/api/contract';

/** The backend's typed event bus; hosts forward it to windows (IPC) or browsers (SSE). */
export class BackendEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open window and SSE stream subscribes once.
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    this.emitter.emit(event, payload);
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
