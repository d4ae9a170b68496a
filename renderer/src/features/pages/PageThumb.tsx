import { useRef, type DragEvent, type ReactNode } from 'react';
import type { PageEditFlags, PageSummary, PageTurn } from '../../../../shared/api/contract';
import { api } from '../../api';
import { routeHref } from '../../app/router';
import { useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { Icon, type IconName } from '../../ui/icons';
import { ProgressBar } from '../../ui/ProgressBar';
import { ACCEPT_ATTRIBUTE } from '../capture/useImportFiles';
import type { OcrLive } from '../ocr/useOcrLive';
import { OcrStatusBadge } from './OcrStatusBadge';

/** What the clerk can do to one page from the grid; absent when the account or the dossier allows no edits. */
export interface ThumbEdits {
  flags: PageEditFlags | undefined;
  /** First page of its document (a split there has nothing to cut; merging joins it to the previous one). */
  firstOfDocument: boolean;
  /** The previous document, to merge this one into. */
  previousDocumentId: string | undefined;
  selected: boolean;
  busy: boolean;
  dropSide: 'before' | 'after' | null;
  onSelect: (selected: boolean) => void;
  onRotate: (turn: PageTurn) => void;
  onDelete: () => void;
  onSplit: () => void;
  onMerge: () => void;
  onAnswerBlank: (blank: boolean) => void;
  onRescan: (file: File) => void;
  onDragStart: () => void;
  onDragEnd: () => void;
  onDragOver: (side: 'before' | 'after') => void;
  onDrop: () => void;
}

/** Keys the image's URL: a rotated page keeps its id, and the browser keeps images for long. */
export function withVersion(url: string, version: string | undefined): string {
  return version ? `${url}${url.includes('?') ? '&' : '?'}v=${version}` : url;
}

/** One scanned page in the dossier grid: thumbnail, number, OCR state, cleanup flags, edit tools. */
export function PageThumb({
  page,
  index,
  sourceName,
  live,
  duplicate,
  edits,
}: {
  page: PageSummary;
  /** 1-based position in the dossier. */
  index: number;
  sourceName: string;
  live: OcrLive | undefined;
  duplicate: boolean;
  edits?: ThumbEdits | undefined;
}) {
  const t = useT();
  const status = live?.status ?? page.ocrStatus;
  const flags = edits?.flags;
  const editable = edits !== undefined && flags?.locked !== true;
  const rescanInput = useRef<HTMLInputElement>(null);
  const blankOpen = flags?.blank === true && !flags.blankConfirmed;
  const classes = [
    'thumb',
    edits ? 'thumb--editable' : '',
    edits?.firstOfDocument && index > 1 ? 'thumb--doc-start' : '',
    edits?.selected ? 'thumb--selected' : '',
    edits?.dropSide ? `thumb--drop-${edits.dropSide}` : '',
    blankOpen ? 'thumb--blank' : '',
  ]
    .filter(Boolean)
    .join(' ');

  const side = (e: DragEvent<HTMLElement>): 'before' | 'after' => {
    const box = e.currentTarget.getBoundingClientRect();
    return e.clientX < box.left + box.width / 2 ? 'before' : 'after';
  };

  return (
    <li
      className={classes}
      data-testid="page-thumb"
      data-page-id={page.id}
      data-document-id={page.documentId}
      data-ocr-status={status}
      data-rotation={flags?.rotation ?? 0}
      draggable={editable}
      onDragStart={
        editable
          ? (e) => {
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('application/x-sohoa-page', String(page.id));
              edits.onDragStart();
            }
          : undefined
      }
      onDragEnd={editable ? () => edits.onDragEnd() : undefined}
      onDragOver={
        editable
          ? (e) => {
              if (!Array.from(e.dataTransfer.types).includes('application/x-sohoa-page')) return;
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
              edits.onDragOver(side(e));
            }
          : undefined
      }
      onDrop={
        editable
          ? (e) => {
              if (!Array.from(e.dataTransfer.types).includes('application/x-sohoa-page')) return;
              e.preventDefault();
              edits.onDrop();
            }
          : undefined
      }
    >
      <a
        className="thumb__link"
        href={routeHref({ name: 'page', id: page.id })}
        aria-label={t('page.open', { n: index })}
        draggable={false}
        title={editable ? t('pageEdit.dragHint') : undefined}
      >
        <span className="thumb__image-box">
          <img
            className="thumb__image"
            src={withVersion(api.pageImageUrl(page.id, 'thumb'), flags?.imageVersion)}
            alt={t('page.imageAlt', { n: index })}
            loading="lazy"
            decoding="async"
            draggable={false}
          />
          {duplicate ? (
            <span className="thumb__flag">
              <Badge tone="warning" testId="page-duplicate">
                {t('page.duplicate')}
              </Badge>
            </span>
          ) : null}
          {flags?.blank ? (
            <span className="thumb__flag thumb__flag--left">
              <Badge tone={blankOpen ? 'warning' : 'neutral'} testId="page-blank">
                {blankOpen ? t('pageEdit.blank') : t('pageEdit.blankKept')}
              </Badge>
            </span>
          ) : null}
        </span>
        <span className="thumb__caption">
          <span className="thumb__number">{t('page.number', { n: index })}</span>
          <OcrStatusBadge status={status} progress={live?.progress} confidence={page.confidence} />
        </span>
        <span className="thumb__source truncate" title={sourceName}>
          {sourceName}
        </span>
        {status === 'running' || status === 'queued' ? (
          <ProgressBar value={status === 'running' ? (live?.progress ?? 0) : 0} label={t(`ocrStatus.${status}`)} />
        ) : null}
      </a>
      {flags && flags.qualityWarnings.length > 0 ? (
        <div className="thumb__quality" data-testid="page-quality" title={t('pageEdit.qualityHint')}>
          {flags.qualityWarnings.map((w) => (
            <Badge key={w.kind} tone="warning">
              {w.kind === 'lowResolution'
                ? t('pageEdit.lowResolution', { dpi: Math.round(w.dpi) })
                : t('pageEdit.blurred')}
            </Badge>
          ))}
          {editable ? (
            <>
              <button
                type="button"
                className="btn btn--small"
                disabled={edits.busy}
                onClick={() => rescanInput.current?.click()}
                data-testid="page-rescan"
              >
                <Icon name="rescan" size={15} />
                {t('pageEdit.rescan')}
              </button>
              <input
                ref={rescanInput}
                type="file"
                hidden
                accept={`${ACCEPT_ATTRIBUTE},.pdf,application/pdf`}
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0];
                  e.currentTarget.value = '';
                  if (file) edits.onRescan(file);
                }}
              />
            </>
          ) : null}
        </div>
      ) : null}
      {blankOpen && editable ? (
        <div className="thumb__blank" role="group" aria-label={t('pageEdit.blankHint')} title={t('pageEdit.blankHint')}>
          <BlankAnswer busy={edits.busy} onClick={() => edits.onAnswerBlank(true)} testId="blank-keep">
            {t('pageEdit.keepBlank')}
          </BlankAnswer>
          <BlankAnswer busy={edits.busy} onClick={edits.onDelete} testId="blank-remove">
            {t('pageEdit.removeBlank')}
          </BlankAnswer>
          <BlankAnswer
            busy={edits.busy}
            onClick={() => edits.onAnswerBlank(false)}
            label={t('pageEdit.notBlank')}
            testId="blank-not"
          >
            {t('pageEdit.notBlankShort')}
          </BlankAnswer>
        </div>
      ) : null}
      {edits ? (
        <div className="thumb__tools" role="group">
          <input
            type="checkbox"
            className="thumb__select"
            checked={edits.selected}
            disabled={!editable}
            onChange={(e) => edits.onSelect(e.currentTarget.checked)}
            aria-label={t('pageEdit.select', { n: index })}
            data-testid="page-select"
          />
          <ToolButton
            icon="rotateLeft"
            label={`${t('pageEdit.rotateLeft')} (Shift+R)`}
            disabled={!editable || edits.busy}
            onClick={() => edits.onRotate(270)}
            testId="page-rotate-left"
          />
          <ToolButton
            icon="rotateRight"
            label={`${t('pageEdit.rotateRight')} (R)`}
            disabled={!editable || edits.busy}
            onClick={() => edits.onRotate(90)}
            testId="page-rotate-right"
          />
          {edits.firstOfDocument ? (
            edits.previousDocumentId ? (
              <ToolButton
                icon="merge"
                label={t('pageEdit.mergePrevious')}
                disabled={!editable || edits.busy}
                onClick={edits.onMerge}
                testId="document-merge"
              />
            ) : null
          ) : (
            <ToolButton
              icon="split"
              label={t('pageEdit.split')}
              disabled={!editable || edits.busy}
              onClick={edits.onSplit}
              testId="document-split"
            />
          )}
          <ToolButton
            icon="trash"
            label={`${t('pageEdit.delete')} (Delete)`}
            disabled={!editable || edits.busy}
            onClick={edits.onDelete}
            testId="page-delete"
          />
        </div>
      ) : null}
    </li>
  );
}

/** One answer to "is this page blank?"; `label` names a button whose face is only a glyph. */
function BlankAnswer({
  busy,
  onClick,
  label,
  testId,
  children,
}: {
  busy: boolean;
  onClick: () => void;
  label?: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={label ? 'btn btn--small btn--ghost' : 'btn btn--small'}
      disabled={busy}
      onClick={onClick}
      title={label}
      aria-label={label}
      data-testid={testId}
    >
      {children}
    </button>
  );
}

function ToolButton({
  icon,
  label,
  disabled,
  onClick,
  testId,
}: {
  icon: IconName;
  label: string;
  disabled: boolean;
  onClick: () => void;
  testId: string;
}) {
  return (
    <button
      type="button"
      className="btn btn--small btn--ghost thumb__tool"
      disabled={disabled}
      onClick={onClick}
      title={label}
      aria-label={label}
      data-testid={testId}
    >
      <Icon name={icon} size={15} />
    </button>
  );
}
