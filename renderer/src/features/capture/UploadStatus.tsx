import { useT, type Translate } from '../../i18n';
import { ProgressBar } from '../../ui/ProgressBar';
import type { ImportProgress } from './useImportFiles';

/** One line under the toolbar: bytes uploaded, then "importing", then what was added. */
export function UploadStatus({ progress }: { progress: ImportProgress }) {
  const t = useT();
  if (progress.phase === 'idle') return null;
  const text =
    progress.phase === 'uploading'
      ? t('upload.uploading', { done: progress.uploadedFiles, total: progress.totalFiles })
      : progress.phase === 'importing'
        ? importingText(t, progress)
        : progress.addedPages === 0
          ? t('upload.nothingAdded')
          : t('upload.done', { pages: progress.addedPages, files: progress.importedFiles });
  return (
    <div
      className={`upload-status upload-status--${progress.phase}${progress.phase === 'done' && progress.addedPages === 0 ? ' upload-status--empty' : ''}`}
      data-testid="upload-progress"
      data-phase={progress.phase}
    >
      <span className="upload-status__text" aria-live="polite">
        {text}
      </span>
      {progress.phase !== 'done' ? <ProgressBar value={barValue(progress)} label={text} /> : null}
    </div>
  );
}

/** "Đang nhập tệp 3/12: trang 37/300…", as far as the backend has told. */
export function importingText(t: Translate, progress: ImportProgress): string {
  const at = progress.importing;
  if (!at) return t('upload.importing');
  if (progress.totalFiles > 1 && at.pages > 1)
    return t('upload.importingFilePage', { file: at.file, files: progress.totalFiles, page: at.page, pages: at.pages });
  if (progress.totalFiles > 1) return t('upload.importingFile', { file: at.file, files: progress.totalFiles });
  return t('upload.importingPage', { page: at.page, pages: at.pages });
}

/** Uploading: the bytes sent. Importing a long file: its pages stored (a 300-page TIFF takes a while). */
export function barValue(progress: ImportProgress): number {
  const at = progress.importing;
  return progress.phase === 'importing' && at && at.pages > 1 ? at.page / at.pages : progress.fraction;
}
