import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { PageEditState, PageTurn } from '../../../../shared/api/contract';
import { api, toAppError, useApiEvent, useCall } from '../../api';

/** How long the "Hoàn tác" toast (and Ctrl+Z) offers to bring a deleted page back; the backend allows longer. */
export const UNDO_MS = 10_000;

export interface PendingUndo {
  pageId: number;
  /** 1-based position shown to the clerk ("Đã xóa trang 3"). */
  position: number;
  until: number;
}

export type EditNotice = {
  kind: 'deleted' | 'undone' | 'assigned' | 'rescanned';
  params: Record<string, string | number>;
};

export interface PageEditing {
  state: PageEditState | undefined;
  /** A call is running: its message key. */
  busy: 'pageEdit.working' | 'pageEdit.rotating' | 'pageEdit.rescanning' | null;
  error: AppError | null;
  dismissError: () => void;
  notice: EditNotice | null;
  dismissNotice: () => void;
  /** Pages deleted here whose removal the dossier's reload has not shown yet. */
  hidden: ReadonlySet<number>;
  /** The latest deletion still undoable here (Ctrl+Z again reaches the ones before it). */
  undo: PendingUndo | null;
  move: (pageId: number, documentId: string, position: number) => Promise<boolean>;
  rotate: (pageId: number, turn: PageTurn) => Promise<void>;
  remove: (pageId: number, position: number) => Promise<void>;
  undoDelete: () => Promise<void>;
  split: (pageId: number) => Promise<void>;
  merge: (documentId: string, intoDocumentId: string) => Promise<void>;
  assign: (pageIds: number[], componentId: string, componentName: string) => Promise<boolean>;
  answerBlank: (pageId: number, blank: boolean) => Promise<void>;
  rescan: (pageId: number, position: number, file: File) => Promise<void>;
}

/**
 * The page grid's edits: each one call, then the dossier and the grid's flags reload. A refusal
 * (a closed dossier, an approved document, the last page of a document dragged away) is kept to
 * be shown as the backend worded it.
 */
export function usePageEditing(dossierId: string, onChanged: () => void): PageEditing {
  const state = useCall('pages.editState', { dossierId });
  const reloadState = state.reload;
  const [busy, setBusy] = useState<PageEditing['busy']>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<EditNotice | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const [undoStack, setUndoStack] = useState<readonly PendingUndo[]>([]);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  /** Deletions still on their way to the backend, so an undo can wait for its own. */
  const deleting = useRef(new Map<number, Promise<unknown>>());
  const undo = undoStack.at(-1) ?? null;

  useApiEvent('dossier.changed', (e) => {
    if (e.dossierId === dossierId) reloadState();
  });
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach(clearTimeout);
  }, []);
  const later = useCallback((ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      fn();
    }, ms);
    timers.current.add(timer);
  }, []);

  const run = useCallback(
    async <T>(
      work: () => Promise<T>,
      label: NonNullable<PageEditing['busy']> = 'pageEdit.working',
    ): Promise<T | undefined> => {
      setError(null);
      setBusy(label);
      try {
        const value = await work();
        return value;
      } catch (e) {
        setError(toAppError(e));
        return undefined;
      } finally {
        setBusy(null);
        reloadState();
        onChanged();
      }
    },
    [onChanged, reloadState],
  );

  const hide = useCallback(
    (pageId: number, on: boolean) =>
      setHidden((prev) => {
        const next = new Set(prev);
        if (on) next.add(pageId);
        else next.delete(pageId);
        return next;
      }),
    [],
  );

  const offerUndo = useCallback(
    (pageId: number, position: number) => {
      setUndoStack((prev) => [...prev, { pageId, position, until: Date.now() + UNDO_MS }]);
      later(UNDO_MS, () => {
        setUndoStack((prev) => prev.filter((entry) => entry.pageId !== pageId));
        // By now the reload has the page gone (or back, if another window undid it).
        hide(pageId, false);
      });
    },
    [hide, later],
  );

  return {
    state: state.data,
    busy,
    error,
    dismissError: () => setError(null),
    notice,
    dismissNotice: () => setNotice(null),
    hidden,
    undo,
    move: async (pageId, documentId, position) =>
      (await run(() => api.call('pages.move', { pageId, documentId, position }))) !== undefined,
    rotate: async (pageId, turn) => {
      await run(() => api.call('pages.rotate', { pageId, turn }), 'pageEdit.rotating');
    },
    remove: async (pageId, position) => {
      // Gone from the grid and undoable at once (a quick Ctrl+Z waits for the deletion); back if refused.
      hide(pageId, true);
      setNotice(null);
      const deletion = run(() => api.call('pages.delete', { pageId }));
      deleting.current.set(pageId, deletion);
      offerUndo(pageId, position);
      const done = await deletion;
      deleting.current.delete(pageId);
      if (done === undefined) {
        hide(pageId, false);
        setUndoStack((prev) => prev.filter((entry) => entry.pageId !== pageId));
      }
    },
    undoDelete: async () => {
      if (!undo) return;
      setUndoStack((prev) => prev.filter((entry) => entry.pageId !== undo.pageId));
      const deletion = deleting.current.get(undo.pageId);
      if (deletion && (await deletion) === undefined) return; // refused: nothing was deleted
      const restored = await run(() => api.call('pages.undoDelete', { pageId: undo.pageId }));
      if (restored) {
        hide(undo.pageId, false);
        setNotice({ kind: 'undone', params: {} });
      }
    },
    split: async (pageId) => {
      await run(() => api.call('documents.split', { pageId }));
    },
    merge: async (documentId, intoDocumentId) => {
      await run(() => api.call('documents.merge', { documentId, intoDocumentId }));
    },
    assign: async (pageIds, componentId, componentName) => {
      const done = await run(() => api.call('pages.assign', { pageIds, componentId }));
      if (done) setNotice({ kind: 'assigned', params: { n: pageIds.length, name: componentName } });
      return done !== undefined;
    },
    answerBlank: async (pageId, blank) => {
      await run(() => api.call('pages.confirmBlank', { id: pageId, blank }));
    },
    rescan: async (pageId, position, file) => {
      const done = await run(async () => {
        const upload = await api.upload(file);
        return api.call('pages.replace', { pageId, upload });
      }, 'pageEdit.rescanning');
      if (done) setNotice({ kind: 'rescanned', params: { n: position } });
    },
  };
}
