import { useEffect } from 'react';
import { api } from '../api';
import { useMayCall } from '../features/auth/session';

/**
 * Tells the backend which dossier the clerk has on screen (null: none), and in the page view which
 * page: files arriving in the scanner folder land in the dossier (the inbox otherwise), and the
 * page, then the dossier's pages, are recognized before pages queued earlier for other dossiers,
 * so the citizen at the counter does not wait behind a batch. Each only where the account may do it.
 */
export function useDossierOnScreen(dossierId: string | null, pageId: number | null): void {
  const mayDirectScans = useMayCall('hotFolders.setTarget');
  const mayFocusOcr = useMayCall('ocr.focus');
  useEffect(() => {
    // Best effort: a failed call only means new scans go to the inbox, where the clerk finds them.
    if (mayDirectScans) api.call('hotFolders.setTarget', { dossierId }).catch(() => undefined);
  }, [dossierId, mayDirectScans]);
  useEffect(() => {
    // Best effort too: the dossier's pages are then recognized in the queue's order.
    const page = pageId === null ? {} : { pageId };
    if (mayFocusOcr) api.call('ocr.focus', { dossierId, ...page }).catch(() => undefined);
  }, [dossierId, pageId, mayFocusOcr]);
}
