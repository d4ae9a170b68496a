import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DocumentSummary } from '../../../../shared/api/contract';
import { useErrorText, useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import { Notice } from '../../ui/Notice';
import { ProgressBar } from '../../ui/ProgressBar';
import { useCamera } from './useCamera';
import { useCameraImport, type CaptureResult } from './useCameraImport';
import './camera.css';

/**
 * Document camera mode: pick the camera, see the live preview, capture with the button, Space or
 * Enter. Each photo becomes a page of the chosen document (or a new one), flattened by the backend;
 * the last photo is shown with the outline of the page that was found.
 */
export function CameraPanel({
  dossierId,
  documents,
  onImported,
  onClose,
}: {
  dossierId: string;
  documents: readonly DocumentSummary[];
  onImported: () => void;
  onClose: () => void;
}) {
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  const captureButton = useRef<HTMLButtonElement>(null);
  const { videoRef, state, pickDevice, retry, grabFrame } = useCamera();
  const importer = useCameraImport(dossierId, onImported);
  const [grabError, setGrabError] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => {
    if (state.phase === 'live') captureButton.current?.focus();
  }, [state.phase]);

  async function capture() {
    if (state.phase !== 'live') return;
    const frame = await grabFrame();
    setGrabError(frame === null);
    if (frame) importer.submit(frame.blob);
  }

  function onKeyDown(e: KeyboardEvent<HTMLDialogElement>) {
    if (e.key !== ' ' && e.key !== 'Enter') return;
    const target = e.target as HTMLElement;
    // Other controls keep their own Space/Enter; the capture button is handled here, once.
    if (target !== captureButton.current && target.closest('button, select, input, textarea, a')) return;
    e.preventDefault();
    e.stopPropagation();
    if (!e.repeat) void capture();
  }

  const done = importer.added;
  const last = importer.captures[0];

  return (
    <dialog
      ref={dialog}
      className="dialog camera-panel"
      aria-labelledby="camera-panel-title"
      data-testid="camera-panel"
      onClose={onClose}
      onKeyDown={onKeyDown}
    >
      <div className="dialog__body">
        <header className="camera-panel__header">
          <h2 id="camera-panel-title" className="dialog__title">
            {t('camera.title')}
          </h2>
          <button type="button" className="icon-btn" aria-label={t('common.close')} onClick={onClose}>
            <Icon name="close" />
          </button>
        </header>

        <div className="camera-panel__controls">
          {state.devices.length > 0 ? (
            <label className="camera-panel__field">
              <span>{t('camera.device')}</span>
              <select
                value={state.deviceId ?? ''}
                onChange={(e) => pickDevice(e.target.value)}
                data-testid="camera-device"
              >
                {state.devices.map((device, index) => (
                  <option key={device.deviceId || index} value={device.deviceId}>
                    {device.label || `${t('camera.device')} ${index + 1}`}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label className="camera-panel__field">
            <span>{t('camera.target')}</span>
            <select
              value={importer.documentId ?? ''}
              onChange={(e) => importer.chooseDocument(e.target.value || null)}
              data-testid="camera-target"
            >
              <option value="">{t('camera.newDocument')}</option>
              {documents.map((doc) => (
                <option key={doc.id} value={doc.id}>
                  {t('camera.documentOption', { title: doc.title, n: doc.pages.length })}
                </option>
              ))}
            </select>
          </label>
          {state.resolution ? (
            <span className="muted small" data-testid="camera-resolution">
              {t('camera.resolution', { w: state.resolution.width, h: state.resolution.height })}
            </span>
          ) : null}
        </div>

        {state.phase === 'error' && state.problem ? (
          <Notice
            tone="error"
            testId="camera-error"
            action={
              <button type="button" className="btn btn--small" onClick={retry}>
                {t('camera.retry')}
              </button>
            }
          >
            {t(`camera.error.${state.problem}`)}
          </Notice>
        ) : null}

        <div className="camera-panel__stage">
          <div className="camera-panel__preview">
            <video ref={videoRef} muted playsInline autoPlay data-testid="camera-preview" />
            {state.phase === 'starting' ? <p className="camera-panel__overlay">{t('camera.starting')}</p> : null}
          </div>
          {last ? <LastCapture capture={last} /> : null}
        </div>

        {grabError ? <Notice tone="error">{t('camera.error.capture')}</Notice> : null}

        <div className="dialog__actions camera-panel__actions">
          <span className="muted small">{t('camera.captureHint')}</span>
          {done > 0 ? (
            <span className="small" data-testid="camera-count">
              {t('camera.captured', { n: done })}
            </span>
          ) : null}
          <button
            ref={captureButton}
            type="button"
            className="btn btn--primary"
            onClick={() => void capture()}
            disabled={state.phase !== 'live'}
            data-testid="camera-capture"
          >
            {t('camera.capture')} <kbd>Space</kbd>
          </button>
        </div>
      </div>
    </dialog>
  );
}

/** The photo as taken, with the page outline the backend found drawn over it, and what happened. */
function LastCapture({ capture }: { capture: CaptureResult }) {
  const t = useT();
  const errorText = useErrorText();
  const report = capture.flatten;
  const corners = report?.corners ?? null;
  return (
    <figure
      className="camera-panel__last"
      data-testid="camera-last"
      data-phase={capture.phase}
      data-flattened={corners ? 'true' : 'false'}
    >
      <div className="camera-panel__frame">
        <img src={capture.frameUrl} alt={t('camera.lastCapture')} />
        {report && corners ? (
          <svg
            className="camera-panel__outline"
            viewBox={`0 0 ${report.frame.width} ${report.frame.height}`}
            preserveAspectRatio="none"
            aria-hidden="true"
            data-testid="camera-outline"
          >
            <polygon points={corners.map((p) => `${p.x},${p.y}`).join(' ')} />
          </svg>
        ) : null}
      </div>
      <figcaption aria-live="polite">
        {capture.phase === 'uploading' ? (
          <>
            {t('camera.uploading')}
            <ProgressBar value={capture.fraction} label={t('camera.uploading')} />
          </>
        ) : capture.phase === 'processing' ? (
          <>
            {t('camera.processing')}
            <ProgressBar value={1} label={t('camera.processing')} />
          </>
        ) : capture.duplicate ? (
          t('camera.duplicate')
        ) : capture.phase === 'error' && capture.error ? (
          <span className="camera-panel__error">{errorText(capture.error)}</span>
        ) : report && corners ? (
          t('camera.flattened', { w: report.page.width, h: report.page.height })
        ) : report ? (
          t('camera.kept', { reason: report.miss ? t(`camera.miss.${report.miss}`) : '' })
        ) : null}
      </figcaption>
    </figure>
  );
}
