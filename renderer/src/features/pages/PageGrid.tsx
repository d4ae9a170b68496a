import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DocumentSummary, PageEditFlags } from '../../../../shared/api/contract';
import { hasCommandKey, isModalOpen, isTypingTarget, useWindowKeydown } from '../../app/keyboard';
import { useErrorText, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { useMayCall } from '../auth/session';
import type { OcrLive } from '../ocr/useOcrLive';
import { PageThumb } from './PageThumb';
import { UndoToast } from './UndoToast';
import { usePageEditing, type PageEditing } from './usePageEditing';
import './page-editing.css';

interface GridItem {
  doc: DocumentSummary;
  page: DocumentSummary['pages'][number];
  /** 0-based place in its document. */
  inDoc: number;
}

/** All pages of a dossier, in document order, numbered 1..n; with `editing`, the clerk's page edits. */
export function PageGrid({
  documents,
  live,
  duplicatePageIds,
  editing,
}: {
  documents: readonly DocumentSummary[];
  live: ReadonlyMap<number, OcrLive>;
  duplicatePageIds: ReadonlySet<number>;
  /** The dossier whose pages may be edited here, and what to reload after an edit. */
  editing?: { dossierId: string; onChanged: () => void };
}) {
  const mayEdit = useMayCall('pages.move');
  if (!editing || !mayEdit) {
    return <PlainGrid documents={documents} live={live} duplicatePageIds={duplicatePageIds} />;
  }
  return <EditableGrid documents={documents} live={live} duplicatePageIds={duplicatePageIds} {...editing} />;
}

function sourceLabel(doc: DocumentSummary, pageNo: number): string {
  return doc.pages.length > 1 ? `${doc.sourceName} · ${pageNo}/${doc.pages.length}` : doc.sourceName;
}

function PlainGrid({
  documents,
  live,
  duplicatePageIds,
}: {
  documents: readonly DocumentSummary[];
  live: ReadonlyMap<number, OcrLive>;
  duplicatePageIds: ReadonlySet<number>;
}) {
  const items = documents.flatMap((doc) => doc.pages.map((page) => ({ doc, page })));
  return (
    <ol className="page-grid" data-testid="page-grid">
      {items.map(({ doc, page }, i) => (
        <PageThumb
          key={page.id}
          page={page}
          index={i + 1}
          sourceName={sourceLabel(doc, page.pageNo)}
          live={live.get(page.id)}
          duplicate={duplicatePageIds.has(page.id)}
        />
      ))}
    </ol>
  );
}

/** Where a page dropped on `target` goes: before it when dragged backwards, after it when forwards. */
function dropPlacement(
  items: readonly GridItem[],
  fromId: number,
  target: GridItem,
  side: 'before' | 'after',
): { documentId: string; position: number } | null {
  const from = items.find((item) => item.page.id === fromId);
  if (!from || from.page.id === target.page.id) return null;
  const sameDoc = from.doc.id === target.doc.id;
  // Positions count the document without the moved page.
  const targetIndex = sameDoc && from.inDoc < target.inDoc ? target.inDoc - 1 : target.inDoc;
  return { documentId: target.doc.id, position: targetIndex + (side === 'after' ? 2 : 1) };
}

/** One step left or right in the dossier's order, crossing into the neighbouring document at its edge. */
function stepPlacement(
  docs: readonly DocumentSummary[],
  item: GridItem,
  step: -1 | 1,
): { documentId: string; position: number } | null {
  const d = docs.indexOf(item.doc);
  if (step < 0) {
    if (item.inDoc > 0) return { documentId: item.doc.id, position: item.inDoc };
    const prev = docs[d - 1];
    return prev ? { documentId: prev.id, position: prev.pages.length + 1 } : null;
  }
  if (item.inDoc < item.doc.pages.length - 1) return { documentId: item.doc.id, position: item.inDoc + 2 };
  const next = docs[d + 1];
  return next ? { documentId: next.id, position: 1 } : null;
}

function EditableGrid({
  documents,
  live,
  duplicatePageIds,
  dossierId,
  onChanged,
}: {
  documents: readonly DocumentSummary[];
  live: ReadonlyMap<number, OcrLive>;
  duplicatePageIds: ReadonlySet<number>;
  dossierId: string;
  onChanged: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const edit = usePageEditing(dossierId, onChanged);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [dragging, setDragging] = useState<number | null>(null);
  const [drop, setDrop] = useState<{ id: number; side: 'before' | 'after' } | null>(null);
  const focusAfter = useRef<number | null>(null);
  const gridRef = useRef<HTMLOListElement>(null);

  const docs = useMemo(
    () =>
      documents
        .map((doc) => ({ ...doc, pages: doc.pages.filter((p) => !edit.hidden.has(p.id)) }))
        .filter((doc) => doc.pages.length > 0),
    [documents, edit.hidden],
  );
  const items: GridItem[] = useMemo(
    () => docs.flatMap((doc) => doc.pages.map((page, inDoc) => ({ doc, page, inDoc }))),
    [docs],
  );
  const flags = useMemo(() => {
    const map = new Map<number, PageEditFlags>();
    for (const page of edit.state?.pages ?? []) map.set(page.id, page);
    return map;
  }, [edit.state]);
  const locked = edit.state?.locked ?? null;
  const busy = edit.busy !== null;

  // Keyboard moves keep the focus on the page that moved, once the reload shows it in its new place.
  useEffect(() => {
    const id = focusAfter.current;
    if (id === null) return;
    const link = gridRef.current?.querySelector<HTMLElement>(`[data-page-id="${id}"] .thumb__link`);
    if (link) {
      link.focus();
      focusAfter.current = null;
    }
  }, [items]);

  // Pages that left the dossier drop out of the selection.
  const present = new Set(items.map((item) => item.page.id));
  const chosen = [...selected].filter((id) => present.has(id));

  useWindowKeydown((e) => {
    if (!edit.undo || isTypingTarget(e.target) || isModalOpen()) return;
    if (hasCommandKey(e) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      void edit.undoDelete();
    }
  });

  const itemOf = (target: EventTarget | null): GridItem | undefined => {
    const id = Number((target as HTMLElement | null)?.closest?.('[data-page-id]')?.getAttribute('data-page-id'));
    return items.find((item) => item.page.id === id);
  };
  const canEdit = (item: GridItem) => !locked && flags.get(item.page.id)?.locked !== true;

  const onKeyDown = (e: KeyboardEvent<HTMLOListElement>) => {
    if (busy || isTypingTarget(e.target)) return;
    const command = hasCommandKey(e.nativeEvent);
    const item = itemOf(e.target);
    if (!item || !canEdit(item)) return;
    const position = items.indexOf(item) + 1;
    if (e.altKey && !command && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      const to = stepPlacement(docs, item, e.key === 'ArrowLeft' ? -1 : 1);
      if (!to) return;
      focusAfter.current = item.page.id;
      void edit.move(item.page.id, to.documentId, to.position);
    } else if (e.key === 'Delete' && !e.altKey && !command) {
      e.preventDefault();
      // The clerk goes on from the next page (or the one before, at the end).
      const index = items.indexOf(item);
      focusAfter.current = (items[index + 1] ?? items[index - 1])?.page.id ?? null;
      void edit.remove(item.page.id, position);
    } else if ((e.key === 'r' || e.key === 'R') && !e.altKey && !command) {
      e.preventDefault();
      focusAfter.current = item.page.id;
      void edit.rotate(item.page.id, e.shiftKey ? 270 : 90);
    } else if (e.key === ' ' && !e.altKey && !command && (e.target as HTMLElement).classList.contains('thumb__link')) {
      // On the thumbnail itself; a focused checkbox or button keeps its own Space.
      e.preventDefault();
      toggle(item.page.id, !selected.has(item.page.id));
    }
  };

  const toggle = (id: number, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const finishDrop = (target: GridItem) => {
    const from = dragging;
    const side = drop?.side ?? 'before';
    setDragging(null);
    setDrop(null);
    if (from === null) return;
    const to = dropPlacement(items, from, target, side);
    if (to) void edit.move(from, to.documentId, to.position);
  };

  return (
    <div className="page-edit">
      <p className="muted small page-edit__keys">{t('pageEdit.keysHint')}</p>
      {locked ? (
        <Notice tone="info" testId="page-edit-locked">
          {t('pageEdit.locked')} {errorText(locked)}
        </Notice>
      ) : null}
      <EditStatus edit={edit} />
      {chosen.length > 0 ? (
        <AssignBar
          count={chosen.length}
          components={edit.state?.components ?? []}
          busy={busy}
          onAssign={async (componentId, name) => {
            // In the dossier's order, whatever order they were picked in.
            const ordered = items.map((item) => item.page.id).filter((id) => chosen.includes(id));
            if (await edit.assign(ordered, componentId, name)) setSelected(new Set());
          }}
          onClear={() => setSelected(new Set())}
        />
      ) : null}
      <ol
        ref={gridRef}
        className={`page-grid${dragging !== null ? ' page-grid--dragging' : ''}`}
        data-testid="page-grid"
        aria-busy={busy}
        onKeyDown={onKeyDown}
      >
        {items.map((item, i) => {
          const { doc, page, inDoc } = item;
          const d = docs.indexOf(doc);
          return (
            <PageThumb
              key={page.id}
              page={page}
              index={i + 1}
              sourceName={sourceLabel(doc, inDoc + 1)}
              live={live.get(page.id)}
              duplicate={duplicatePageIds.has(page.id)}
              edits={{
                flags: locked
                  ? { ...(flags.get(page.id) ?? defaultFlags(page.id, doc.id)), locked: true }
                  : flags.get(page.id),
                firstOfDocument: inDoc === 0,
                previousDocumentId: d > 0 ? docs[d - 1]?.id : undefined,
                selected: selected.has(page.id),
                busy,
                dropSide: drop?.id === page.id && dragging !== page.id ? drop.side : null,
                onSelect: (on) => toggle(page.id, on),
                onRotate: (turn) => void edit.rotate(page.id, turn),
                onDelete: () => void edit.remove(page.id, i + 1),
                onSplit: () => void edit.split(page.id),
                onMerge: () => {
                  const previous = docs[d - 1];
                  if (previous) void edit.merge(doc.id, previous.id);
                },
                onAnswerBlank: (blank) => void edit.answerBlank(page.id, blank),
                onRescan: (file) => void edit.rescan(page.id, i + 1, file),
                onDragStart: () => setDragging(page.id),
                onDragEnd: () => {
                  setDragging(null);
                  setDrop(null);
                },
                onDragOver: (side) => {
                  if (drop?.id !== page.id || drop.side !== side) setDrop({ id: page.id, side });
                },
                onDrop: () => finishDrop(item),
              }}
            />
          );
        })}
      </ol>
      {edit.undo ? <UndoToast undo={edit.undo} onUndo={() => void edit.undoDelete()} /> : null}
    </div>
  );
}

function defaultFlags(id: number, documentId: string): PageEditFlags {
  return {
    id,
    documentId,
    rotation: 0,
    blank: false,
    blankConfirmed: false,
    qualityWarnings: [],
    imageVersion: '',
    locked: true,
  };
}

/** The running edit, the last refusal (as the backend worded it), and quiet confirmations. */
function EditStatus({ edit }: { edit: PageEditing }) {
  const t = useT();
  const errorText = useErrorText();
  const dismissButton = (onDismiss: () => void) => (
    <button type="button" className="btn btn--small btn--ghost" onClick={onDismiss}>
      {t('pageEdit.dismiss')}
    </button>
  );
  if (edit.error) {
    return (
      <Notice tone="error" testId="page-edit-error" action={dismissButton(edit.dismissError)}>
        {t('pageEdit.errorTitle')} {errorText(edit.error)}
      </Notice>
    );
  }
  if (edit.busy) {
    return (
      <p className="muted small" role="status" data-testid="page-edit-busy">
        {t(edit.busy)}
      </p>
    );
  }
  if (edit.notice) {
    const key = {
      deleted: 'pageEdit.deleted',
      undone: 'pageEdit.undone',
      assigned: 'pageEdit.assigned',
      rescanned: 'pageEdit.rescanned',
    } as const;
    return (
      <Notice tone="success" testId="page-edit-notice" action={dismissButton(edit.dismissNotice)}>
        {t(key[edit.notice.kind], edit.notice.params)}
      </Notice>
    );
  }
  return null;
}

/** Shown while pages are selected: put them under one of the procedure's components. */
function AssignBar({
  count,
  components,
  busy,
  onAssign,
  onClear,
}: {
  count: number;
  components: readonly { id: string; code: string; name: string }[];
  busy: boolean;
  onAssign: (componentId: string, name: string) => Promise<void>;
  onClear: () => void;
}) {
  const t = useT();
  const [componentId, setComponentId] = useState('');
  const component = components.find((c) => c.id === componentId);
  return (
    <form
      className="page-edit__assign"
      data-testid="page-assign-bar"
      onSubmit={(e) => {
        e.preventDefault();
        if (component) void onAssign(component.id, component.name);
      }}
    >
      <strong>{t('pageEdit.selected', { n: count })}</strong>
      <label className="page-edit__assign-field">
        <span className="muted small">{t('pageEdit.assignTo')}</span>
        <select
          value={componentId}
          onChange={(e) => setComponentId(e.currentTarget.value)}
          data-testid="page-assign-component"
        >
          <option value="">{t('pageEdit.assignPlaceholder')}</option>
          {components.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        className="btn btn--small btn--primary"
        disabled={!component || busy}
        data-testid="page-assign"
      >
        {t('pageEdit.assign')}
      </button>
      <button type="button" className="btn btn--small btn--ghost" onClick={onClear}>
        {t('pageEdit.clearSelection')}
      </button>
    </form>
  );
}
