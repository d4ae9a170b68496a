/**
 * A full disk while saving: the clerk gets a clear Vietnamese reason, and what was stored before is
 * untouched (the transaction rolls back). SQLite's page limit stands in for the disk filling up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { call, openTempBackend } from '../support/temp-backend';

describe('a full disk', () => {
  let backend: Backend;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ backend, close } = await openTempBackend({ runOcr: false, runSync: false }));
  });
  afterAll(async () => close());

  it('refuses a save with a clear reason and keeps every dossier already stored', async () => {
    const first = await call(backend, 'dossiers.create', { citizenId: '001085012345', procedureCode: '1.001193' });
    const pages = backend.db.pragma('page_count', { simple: true }) as number;
    backend.db.pragma(`max_page_count = ${pages}`);
    try {
      let refusal: { code: string; message: string } | null = null;
      // Each new dossier takes a little room: the limit is reached within a few hundred.
      for (let i = 0; i < 500 && refusal === null; i++) {
        const result = await backend.call('dossiers.create', { citizenId: '079190123456', procedureCode: '1.001193' });
        if (!result.ok) refusal = result.error;
      }
      expect(refusal?.message).toContain('Ổ đĩa đã đầy');
    } finally {
      backend.db.pragma('max_page_count = 1073741823');
    }
    const stored = await call(backend, 'dossiers.get', { id: first.id });
    expect(stored.dossier.code).toBe(first.code);
    expect(backend.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
