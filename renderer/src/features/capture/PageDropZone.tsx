import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useT } from '../../i18n';

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer.types).includes('Files');
}

/** The page area: scans dropped anywhere on it are added to the dossier (no drop target when `onFiles` is null). */
export function PageDropZone({
  onFiles,
  children,
}: {
  onFiles: ((files: File[]) => void) | null;
  children: ReactNode;
}) {
  const t = useT();
  const [over, setOver] = useState(false);
  const depth = useRef(0);

  return (
    <div
      className={`drop-zone${over ? ' drop-zone--over' : ''}`}
      data-testid="page-drop-zone"
      onDragEnter={(e) => {
        if (!onFiles || !hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!onFiles || !hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        if (!onFiles || !hasFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        onFiles(Array.from(e.dataTransfer.files));
      }}
    >
      {children}
      {over ? (
        <div className="drop-zone__overlay" aria-hidden="true">
          {t('dossier.dropActive')}
        </div>
      ) : null}
    </div>
  );
}
