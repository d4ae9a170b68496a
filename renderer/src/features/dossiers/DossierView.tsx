import { useRef } from 'react';
import { useApiEvent, useCall, useDebouncedCallback } from '../../api';
import { hasCommandKey, isModalOpen, useWindowKeydown } from '../../app/keyboard';
import { useErrorText, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { AddPagesButton } from '../capture/AddPagesButton';
import { CameraButton } from '../camera/CameraButton';
import { useMayCall } from '../auth/session';
import { ImportProblemList } from '../capture/ImportProblemList';
import { PageDropZone } from '../capture/PageDropZone';
import { UploadStatus } from '../capture/UploadStatus';
import { useImportFiles } from '../capture/useImportFiles';
import { OcrQueueActions } from '../ocr/OcrQueueActions';
import { pagesToReview } from '../ocr/review-flag';
import { ToReviewLink } from '../ocr/ToReviewLink';
import { useReviewThreshold } from '../ocr/useReviewThreshold';
import { useOcrLive } from '../ocr/useOcrLive';
import { ExportActions } from '../exports/ExportActions';
import { ReceiptButton } from '../receipts/ReceiptButton';
import { BatchProposals } from '../batch/BatchProposals';
import { SeparatorsButton } from '../batch/SeparatorsButton';
import { PageGrid } from '../pages/PageGrid';
import { WorkflowSection } from '../checklist/WorkflowSection';
import { DossierHeader } from './DossierHeader';

/** One dossier: its header, "Thêm trang", and its pages with live OCR progress. */
export function DossierView({ id }: { id: string }) {
  const t = useT();
  const errorText = useErrorText();
  const detail = useCall('dossiers.get', { id });
  const refresh = useDebouncedCallback(detail.reload, 200);
  const fileInput = useRef<HTMLInputElement>(null);

  useApiEvent('dossier.changed', (e) => {
    if (e.dossierId === id) refresh();
  });
  const live = useOcrLive(
    (e) => e.dossierId === id,
    (e) => {
      if (e.status === 'done' || e.status === 'failed') refresh();
    },
  );
  const importer = useImportFiles(id, refresh);
  // An account that may not add pages sees no button, no drop target and no Ctrl+O.
  const mayImport = useMayCall('pages.import');
  const threshold = useReviewThreshold();
  const toReview = pagesToReview(detail.data?.documents.flatMap((d) => d.pages) ?? [], null, threshold);

  useWindowKeydown((e) => {
    if (mayImport && hasCommandKey(e) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'o' && !isModalOpen()) {
      e.preventDefault();
      fileInput.current?.click();
    }
  });

  if (detail.error && !detail.data) {
    return (
      <div className="content-pad">
        <Notice tone="error" testId="dossier-error">
          {t('dossier.loadError')} {errorText(detail.error)}
        </Notice>
      </div>
    );
  }
  if (!detail.data) return <p className="muted content-pad">{t('common.loading')}</p>;

  const { dossier, documents } = detail.data;
  const pageCount = documents.reduce((n, d) => n + d.pages.length, 0);

  return (
    <div className="dossier-view" data-testid="dossier-view" data-dossier-id={dossier.id}>
      <DossierHeader dossier={dossier} />
      <WorkflowSection dossier={dossier} documents={documents} onChanged={refresh} />
      <div className="toolbar">
        <h2 className="toolbar__title">
          {t('dossier.pages')} <span className="count">{pageCount}</span>
        </h2>
        <UploadStatus progress={importer.progress} />
        <OcrQueueActions
          scope={{ dossierId: dossier.id }}
          queued={documents.reduce((n, d) => n + d.pages.filter((p) => p.ocrStatus === 'queued').length, 0)}
          mayHaveCancelled={documents.some((d) => d.pages.some((p) => p.ocrStatus === 'cancelled'))}
          onDone={refresh}
        />
        <ToReviewLink toReview={toReview} />
        {mayImport ? <AddPagesButton inputRef={fileInput} onFiles={importer.importFiles} /> : null}
        {mayImport ? <CameraButton dossierId={dossier.id} documents={documents} onImported={refresh} /> : null}
        <ReceiptButton dossierId={dossier.id} />
        <SeparatorsButton dossierId={dossier.id} />
        {pageCount > 0 ? <ExportActions target={{ kind: 'dossier', dossierId: dossier.id }} /> : null}
      </div>
      <ImportProblemList
        problems={importer.problems}
        onDismiss={importer.dismissProblem}
        onDismissAll={importer.dismissAll}
      />
      <BatchProposals dossierId={dossier.id} onDecided={refresh} />
      <PageDropZone onFiles={mayImport ? importer.importFiles : null}>
        {pageCount === 0 ? (
          <div className="drop-hint" data-testid="no-pages">
            <p className="drop-hint__title">{t('dossier.noPages')}</p>
            {mayImport ? <p className="muted">{t('dossier.dropHint')}</p> : null}
          </div>
        ) : (
          <>
            <PageGrid
              documents={documents}
              live={live}
              duplicatePageIds={importer.duplicatePageIds}
              editing={{ dossierId: dossier.id, onChanged: refresh }}
            />
            {mayImport ? <p className="muted small drop-zone__footer">{t('dossier.dropHint')}</p> : null}
          </>
        )}
      </PageDropZone>
    </div>
  );
}
