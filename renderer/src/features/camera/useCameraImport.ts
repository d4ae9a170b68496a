import { useCallback, useEffect, useRef, useState } from 'react';
import type { FlattenReport } from '../../../../shared/api/contract';
import { api, toAppError, useLatest } from '../../api';

export interface CaptureResult {
  key: number;
  /** Object URL of the frame as taken, for the outline preview. */
  frameUrl: string;
  phase: 'uploading' | 'processing' | 'done' | 'error';
  /** The same bytes were already stored: nothing was added. */
  duplicate: boolean;
  /** Upload progress, 0..1. */
  fraction: number;
  flatten: FlattenReport | null;
  error: { message: string; messageEn?: string } | null;
}

function photoName(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `anh-chup-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}.jpg`;
}

/**
 * Sends each captured frame through the same path as picked files (upload, then import), with
 * `camera.import` so the backend flattens it; one at a time, in capture order. The first capture
 * for "new document" creates it and later ones join it (`documentId` follows).
 */
export function useCameraImport(dossierId: string, onImported: () => void) {
  const [captures, setCaptures] = useState<CaptureResult[]>([]);
  const [documentId, setDocumentId] = useState<string | null>(null);
  /** Pages added in this session (the preview list keeps only the last few). */
  const [added, setAdded] = useState(0);
  // Read when a queued capture is sent: the document chosen (or created) by then.
  const target = useRef<string | null>(null);
  const latestOnImported = useLatest(onImported);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const seq = useRef(0);

  const urls = useRef(new Set<string>());
  useEffect(() => {
    const held = urls.current;
    // The previews' memory goes with the panel.
    return () => {
      for (const url of held) URL.revokeObjectURL(url);
    };
  }, []);

  const update = useCallback((key: number, change: Partial<CaptureResult>) => {
    setCaptures((list) => list.map((c) => (c.key === key ? { ...c, ...change } : c)));
  }, []);

  const submit = useCallback(
    (blob: Blob) => {
      seq.current += 1;
      const key = seq.current;
      const frameUrl = URL.createObjectURL(blob);
      urls.current.add(frameUrl);
      setCaptures((list) => {
        // Only the last few previews are kept in memory.
        for (const old of list.slice(4)) {
          URL.revokeObjectURL(old.frameUrl);
          urls.current.delete(old.frameUrl);
        }
        return [
          { key, frameUrl, phase: 'uploading' as const, duplicate: false, fraction: 0, flatten: null, error: null },
          ...list.slice(0, 4),
        ];
      });
      const file = new File([blob], photoName(), { type: 'image/jpeg' });
      chain.current = chain.current.then(async () => {
        try {
          const token = await api.upload(file, (fraction) => update(key, { fraction }));
          update(key, { phase: 'processing', fraction: 1 });
          const [capture] = await api.call('camera.import', {
            dossierId,
            uploads: [token],
            documentId: target.current,
          });
          if (!capture) throw new Error('no answer');
          if (!capture.outcome.ok) {
            update(key, { phase: 'error', error: capture.outcome.error, flatten: capture.flatten });
            return;
          }
          target.current = capture.outcome.documentId;
          setDocumentId(capture.outcome.documentId);
          update(key, { phase: 'done', flatten: capture.flatten, duplicate: capture.outcome.duplicate });
          if (!capture.outcome.duplicate) setAdded((n) => n + 1);
        } catch (e) {
          const err = toAppError(e);
          update(key, { phase: 'error', error: { message: err.message, messageEn: err.messageEn } });
        } finally {
          latestOnImported.current();
        }
      });
    },
    [dossierId, latestOnImported, update],
  );

  const chooseDocument = useCallback((id: string | null) => {
    target.current = id;
    setDocumentId(id);
  }, []);

  return { captures, added, documentId, chooseDocument, submit };
}
