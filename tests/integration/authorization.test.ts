import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../electron/core/accounts/accounts';
import { openBackend, type Backend } from '../../electron/core/backend';
import { verifyProcessingLog } from '../../electron/core/audit/processing-log';
import { contract, type CallName } from '../../shared/api/contract';
import { CALL_PERMISSIONS, ROLES, roleAllows, type Role } from '../../shared/api/permissions';
import { tempDir } from '../support/temp-backend';

/** Calls whose effect on the session would spoil the walk; they are tested on their own. */
const SESSION_CALLS: CallName[] = ['auth.signOut', 'auth.signIn', 'auth.setup'];

describe('authorization in dispatch, for every call and every role', () => {
  const { dir, cleanup } = tempDir('sohoa-authz-');
  let backend: Backend;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    backend = await openBackend({
      dataDir: dir,
      host: 'browser',
      runOcr: false,
      runSync: false,
      watchHotFolders: false,
    });
    for (const role of ROLES) {
      await createUser(backend.db, { username: `tk-${role}`, displayName: role, role, password: 'mat-khau-thu' });
      tokens[role] = (await signIn(backend.db, { username: `tk-${role}`, password: 'mat-khau-thu' })).token;
    }
  });

  afterAll(async () => {
    await backend?.close();
    cleanup();
  });

  const calls = (Object.keys(contract) as CallName[]).filter((name) => !SESSION_CALLS.includes(name));

  it('names a permission for every call in the contract', () => {
    expect(Object.keys(CALL_PERMISSIONS).sort()).toEqual(Object.keys(contract).sort());
  });

  it('refuses every non-public call without a session', async () => {
    for (const name of calls) {
      const result = await backend.call(name, {});
      if (CALL_PERMISSIONS[name] === 'public')
        expect(result.ok || result.error.code !== 'UNAUTHORIZED', name).toBe(true);
      else expect(result.ok ? 'ok' : result.error.code, name).toBe('UNAUTHORIZED');
    }
  });

  for (const role of ROLES) {
    it(`lets a ${role} make exactly the calls its role allows`, async () => {
      for (const name of calls) {
        const result = await backend.call(name, {}, { token: tokens[role] });
        const code = result.ok ? 'ok' : result.error.code;
        if (roleAllows(role, CALL_PERMISSIONS[name]))
          expect(code, `${role} ${name}`).not.toMatch(/FORBIDDEN|UNAUTHORIZED/);
        else {
          expect(code, `${role} ${name}`).toBe('FORBIDDEN');
          if (!result.ok) expect(result.error.message).toMatch(/không có quyền/);
        }
      }
    });
  }

  it('signs out: the session no longer works', async () => {
    const { token } = await signIn(backend.db, { username: 'tk-clerk', password: 'mat-khau-thu' });
    expect((await backend.call('dossiers.list', {}, { token })).ok).toBe(true);
    let session: string | null | undefined;
    await backend.call('auth.signOut', {}, { token, onSession: (next) => (session = next) });
    expect(session).toBeNull();
    const after = await backend.call('dossiers.list', {}, { token });
    expect(after.ok ? 'ok' : after.error.code).toBe('UNAUTHORIZED');
  });

  it('records who viewed whose data in the processing log', async () => {
    const created = await backend.call(
      'dossiers.create',
      { citizenId: '001085012345', citizenName: 'Nguyễn Văn An', procedureCode: '1.001193' },
      { token: tokens.clerk },
    );
    if (!created.ok) throw new Error(created.error.message);
    const id = (created.value as { id: string }).id;
    await backend.call('dossiers.get', { id }, { token: tokens.supervisor });
    const entry = backend.db
      .prepare(`SELECT username, action, subject, citizen_id FROM processing_log ORDER BY seq DESC LIMIT 1`)
      .get();
    expect(entry).toEqual({
      username: 'tk-supervisor',
      action: 'view',
      subject: `dossier:${id}`,
      citizen_id: '001085012345',
    });
    expect(verifyProcessingLog(backend.db).ok).toBe(true);
  });
});

describe('a person calling through a host always needs a session', () => {
  it('does not lend the CLI actor to HTTP callers, even on a backend the CLI opened', async () => {
    const { openTempBackend } = await import('../support/temp-backend');
    const { startWebHost } = await import('../../electron/web/server');
    const { backend, close } = await openTempBackend({ runOcr: false });
    const host = await startWebHost({ dataDir: backend.dataDir, port: 0, backend });
    try {
      // Directly, the CLI acts as its administrator...
      expect((await backend.call('dossiers.list', {})).ok).toBe(true);
      // ...but over HTTP without a session the same call is refused.
      const response = await fetch(`${host.url}/api/dossiers.list`, { method: 'POST', body: '{}' });
      const result = (await response.json()) as { ok: boolean; error?: { code: string } };
      expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      const status = (await (await fetch(`${host.url}/api/auth.status`, { method: 'POST', body: '{}' })).json()) as {
        value: { user: unknown };
      };
      expect(status.value.user).toBeNull();
    } finally {
      await host.close();
      await close();
    }
  });
});
