import { useT } from '../../i18n';
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
        ? t('upload.importing')
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
      {progress.phase !== 'done' ? <ProgressBar value={progress.fraction} label={text} /> : null}
    </div>
  );
}
