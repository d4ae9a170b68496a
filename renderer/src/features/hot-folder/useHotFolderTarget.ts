import { useEffect } from 'react';
import { api } from '../../api';

/**
 * Tells the backend which dossier the clerk has open, so files arriving in the scanner folder land
 * in it; null (no dossier open) sends them to the inbox.
 */
export function useHotFolderTarget(dossierId: string | null, enabled = true): void {
  useEffect(() => {
    // An account that may not import scans has nothing to direct.
    if (!enabled) return;
    // Best effort: a failed call only means new scans go to the inbox, where the clerk finds them.
    api.call('hotFolders.setTarget', { dossierId }).catch(() => undefined);
  }, [dossierId, enabled]);
}
