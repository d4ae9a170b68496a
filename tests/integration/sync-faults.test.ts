/**
 * Sync under faults, as a province sees it: two counters (two real desktop backends on their own
 * data folders) and one central server (a real `sohoa-sync-server` process), with a loopback TCP
 * proxy in between that cuts connections on cue. In turn: the server is killed in the middle of a
 * batch and comes back; the network drops connections at random; a `sohoa sync` process is killed
 * after its files went up but before its changes did, and again after the server applied its
 * batch but before the answer reached it; a batch is delivered a second time. Afterwards every
 * change is on the server exactly once, every file is intact by hash, both outboxes are empty,
 * and the second counter reuses what the first digitized.
 *
 * Where exactly each kill lands depends on the machine's load, so nothing is asserted about it;
 * the landing points are printed.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { openBackend } from '../../electron/core/backend';
import { credentialMode } from '../../electron/core/sync/credential';
import { openSyncStorage } from '../../sync-server/storage/open-storage';
import type { SyncStorage } from '../../sync-server/storage/sync-storage';
import { call, tempDir } from '../support/temp-backend';
import {
  createPgDatabase,
  rawRequest,
  REPO,
  runCli,
  spawnSyncServer,
  STORE_KINDS,
  SYNC_SERVER_CLI,
  syntheticScan,
  TcpProxy,
  type ProxyConnection,
  type ServerProcess,
} from '../support/sync-support';

const UNIT = '000.00.01.H26';
const CITIZENS = ['001085012345', '079190123456', '048085006789'];
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

for (const kind of STORE_KINDS) {
  describe(`sync under faults (${kind} store)`, () => {
    const temp = tempDir('sohoa-sync-faults-');
    const serverDir = path.join(temp.dir, 'server');
    const dirA = path.join(temp.dir, 'counter-a');
    const dirB = path.join(temp.dir, 'counter-b');
    let database: string | null = null;
    let dropDatabase: () => Promise<void> = async () => undefined;
    let server: ServerProcess;
    let proxy: TcpProxy;
    let a: Backend;
    let b: Backend;
    let storage: SyncStorage;
    let seed = 1;
    /** Every outbox id either counter ever had: each must end on the server exactly once. */
    const written = new Set<string>();
    const documentsA: string[] = [];
    const documentsB: string[] = [];
    /** Document id → the citizen it belongs to. */
    const owners = new Map<string, string>();

    const noteOutbox = (backend: Backend): void => {
      for (const row of backend.db.prepare('SELECT id FROM outbox').all() as { id: string }[]) written.add(row.id);
    };
    const pending = (backend: Backend): number =>
      (backend.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;

    async function digitize(backend: Backend, citizenId: string, files: number, into: string[]): Promise<void> {
      const procedures = await call(backend, 'procedures.list', {});
      const dossier = await call(backend, 'dossiers.create', {
        citizenId,
        citizenName: 'Trần Thị Bình',
        procedureCode: procedures[0]!.code,
      });
      for (let i = 0; i < files; i++) {
        const file = path.join(temp.dir, `scan-${seed}.png`);
        writeFileSync(file, await syntheticScan(seed++));
        const [outcome] = await backend.importFiles([{ file, name: `giay-to-${seed}.png` }], {
          dossierId: dossier.id,
          citizenId: null,
        });
        if (!outcome?.ok) throw new Error('import failed');
        into.push(outcome.documentId);
        owners.set(outcome.documentId, citizenId);
      }
      noteOutbox(backend);
    }

    async function restartServer(): Promise<void> {
      server = await spawnSyncServer(serverDir, database);
      proxy.target = server.url;
    }

    /** Runs sync until the outbox is empty (each run may stop early on a fault). */
    async function syncUntilDone(backend: Backend, maxRuns = 8): Promise<number> {
      for (let run = 1; run <= maxRuns; run++) {
        noteOutbox(backend);
        const summary = await backend.sync.runOnce();
        if (summary.errors === 0 && pending(backend) === 0) return run;
      }
      throw new Error(`outbox not empty after ${maxRuns} runs (${pending(backend)} left)`);
    }

    beforeAll(async () => {
      if (kind === 'postgres') {
        const pg = await createPgDatabase();
        database = pg.url;
        dropDatabase = pg.drop;
      }
      server = await spawnSyncServer(serverDir, database);
      proxy = new TcpProxy(server.url, 20250301);
      await proxy.start();
      storage = await openSyncStorage({ dataDir: serverDir, ...(database ? { database } : {}) });
      a = await openBackend({ dataDir: dirA, host: 'cli', runOcr: false });
      b = await openBackend({ dataDir: dirB, host: 'cli', runOcr: false });
    });

    afterAll(async () => {
      await a?.close();
      await b?.close();
      await proxy?.close();
      await server?.kill();
      await storage?.close();
      await dropDatabase();
      temp.cleanup();
    });

    it('enrols both counters with one-time codes from the admin command', async () => {
      const codes: string[] = [];
      for (let i = 0; i < 2; i++) {
        const run = spawnSync(
          process.execPath,
          [
            SYNC_SERVER_CLI,
            'enrol-code',
            '--unit',
            UNIT,
            '--data',
            serverDir,
            ...(database ? ['--database', database] : []),
          ],
          { cwd: REPO, encoding: 'utf8' },
        );
        expect(run.status).toBe(0);
        // The code alone on stdout, so an admin's script can capture it.
        expect(run.stdout).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\n$/);
        codes.push(run.stdout.trim());
      }
      const enrolled = await runCli(['enrol', '--server', proxy.url, '--code', codes[0]!, '--data', dirA, '--json']);
      expect(enrolled.code).toBe(0);
      expect(JSON.parse(enrolled.stdout)).toMatchObject({ enrolled: true, unit: UNIT });
      // The credential is readable by this OS user only.
      expect(await credentialMode(dirA)).toBe(0o600);
      const status = await call(b, 'sync.enrol', { server: proxy.url, code: codes[1]! });
      expect(status).toMatchObject({ enrolled: true, unit: UNIT });
      expect((await call(a, 'sync.status', {})).enrolled).toBe(true);
    });

    it('survives the server being killed in the middle of an upload and in the middle of a batch', async () => {
      for (const citizen of CITIZENS) await digitize(a, citizen, 4, documentsA);
      const batch = pending(a);
      const base = (await storage.stats()).records;
      let puts = 0;
      let uploadKill = false;
      let batchKill: number | null = null;
      proxy.onClientData = (chunk) => {
        const text = chunk.toString('latin1');
        puts += text.split('PUT /v1/blobs/').length - 1;
        if (!uploadKill && puts >= 4) {
          // Mid-upload of the fourth file: the server keeps a partial copy to resume from.
          uploadKill = true;
          setImmediate(() => void server.kill().then(restartServer));
        } else if (uploadKill && batchKill === null && text.includes('POST /v1/changes')) {
          // While the batch is in the server's hands: it applies a batch in one transaction, so
          // the kill leaves all of it or none, and the client cannot know which.
          batchKill = -1;
          setImmediate(
            () =>
              void server.kill().then(async () => {
                batchKill = (await storage.stats()).records - base;
                await restartServer();
              }),
          );
        }
      };
      const first = await a.sync.runOnce();
      proxy.onClientData = null;
      console.log(
        `[faults/${kind}] server killed during the 4th upload, then with a batch in flight (${batchKill} of ${batch} changes committed at the kill); ` +
          `first run pushed ${first.pushed}, errors ${first.errors}`,
      );
      expect(uploadKill).toBe(true);
      expect(batchKill).not.toBeNull();
      await syncUntilDone(a);
      expect(pending(a)).toBe(0);
    });

    it('gets everything through a network that drops connections at random', async () => {
      await digitize(b, CITIZENS[0]!, 3, documentsB);
      await digitize(a, CITIZENS[1]!, 2, documentsA);
      proxy.dropRate = 0.12;
      const runsB = await syncUntilDone(b, 12);
      const runsA = await syncUntilDone(a, 12);
      proxy.dropRate = 0;
      console.log(`[faults/${kind}] ${proxy.drops} connections dropped; runs needed: B ${runsB}, A ${runsA}`);
      expect(pending(a) + pending(b)).toBe(0);
    });

    it('recovers from a sync process killed between its uploads and its acknowledgement', async () => {
      // 1. Killed after the files went up, before the changes were sent.
      await digitize(a, CITIZENS[2]!, 2, documentsA);
      let child: ChildProcess | null = null;
      proxy.onClientData = (chunk, connection) => {
        if (chunk.toString('latin1').includes('POST /v1/changes')) {
          connection.cut();
          child?.kill('SIGKILL');
        }
      };
      const beforeUpload = (await storage.stats()).records;
      const killedBeforePush = await runCli(['sync', '--data', dirA, '--json'], { onStart: (c) => (child = c) });
      expect(killedBeforePush.signal).toBe('SIGKILL');
      expect((await storage.stats()).records).toBe(beforeUpload);
      expect(pending(a)).toBeGreaterThan(0);

      // 2. Killed after the server applied the batch, before its answer arrived.
      const waiting = pending(a);
      proxy.onClientData = (chunk, connection) => {
        if (chunk.toString('latin1').includes('POST /v1/changes')) connection.hold();
      };
      proxy.onServerData = (_chunk, connection: ProxyConnection) => {
        if (connection.held) {
          child?.kill('SIGKILL');
          connection.cut();
        }
      };
      const killedBeforeAck = await runCli(['sync', '--data', dirA, '--json'], { onStart: (c) => (child = c) });
      proxy.onClientData = null;
      proxy.onServerData = null;
      expect(killedBeforeAck.signal).toBe('SIGKILL');
      const onServer = await storage.stats();
      expect(onServer.records).toBeGreaterThan(beforeUpload);
      // Applied there, still waiting here: nothing is removed without an acknowledgement.
      expect(pending(a)).toBe(waiting);

      // 3. A clean run: the server answers the repeats with its first answers, nothing doubles.
      const clean = await runCli(['sync', '--data', dirA, '--json']);
      expect(clean.code).toBe(0);
      const summary = JSON.parse(clean.stdout) as { pushed: number; pulled: number; pending: number; errors: number };
      expect(summary).toMatchObject({ pushed: waiting, pending: 0, errors: 0 });
      expect((await storage.stats()).records).toBe(onServer.records);
      console.log(`[faults/${kind}] ${waiting} changes applied before the kill were acknowledged on the next run`);
    });

    it('answers a batch delivered twice with the same results and applies it once', async () => {
      await digitize(b, CITIZENS[1]!, 2, documentsB);
      let request: Buffer = Buffer.alloc(0);
      let capturing = false;
      proxy.onClientData = (chunk) => {
        const text = chunk.toString('latin1');
        if (!capturing && request.length === 0 && text.includes('POST /v1/changes')) {
          capturing = true;
          request = Buffer.from(chunk.subarray(text.indexOf('POST /v1/changes')));
        } else if (capturing) {
          request = Buffer.concat([request, chunk]);
        }
        const head = request.indexOf('\r\n\r\n');
        if (capturing && head > 0) {
          const length = Number(/content-length: (\d+)/i.exec(request.subarray(0, head).toString('latin1'))?.[1]);
          if (request.length >= head + 4 + length) capturing = false;
        }
      };
      await syncUntilDone(b);
      proxy.onClientData = null;
      const head = request.indexOf('\r\n\r\n');
      const headers = request.subarray(0, head).toString('latin1');
      const body = request.subarray(head + 4);
      const before = await storage.stats();
      const replay = await rawRequest(proxy.url, 'POST', '/v1/changes', {
        headers: {
          authorization: /authorization: (.+)/i.exec(headers)![1]!.trim(),
          'content-type': 'application/json',
        },
        body,
      });
      expect(replay.status).toBe(200);
      const results = JSON.parse(replay.body).results as { id: string; status: string; seq: number }[];
      const sent = JSON.parse(body.toString('utf8')).changes as { id: string }[];
      expect(results.map((r) => r.id)).toEqual(sent.map((c) => c.id));
      expect(results.every((r) => r.status === 'applied')).toBe(true);
      const log = await storage.listChanges(0, 100_000);
      const seqOf = new Map(log.map((entry) => [entry.changeId, entry.seq]));
      for (const result of results) expect(result.seq).toBe(seqOf.get(result.id));
      expect(await storage.stats()).toEqual(before);
    });

    it('ends with every change once, every file intact, empty outboxes, and reuse across counters', async () => {
      await syncUntilDone(a);
      await syncUntilDone(b);
      expect(pending(a)).toBe(0);
      expect(pending(b)).toBe(0);

      const log = await storage.listChanges(0, 100_000);
      const ids = log.map((entry) => entry.changeId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of written) expect(ids).toContain(id);
      expect(ids.length).toBe(written.size);
      const documentCreates = log.filter((e) => e.entity === 'document' && e.op === 'create').map((e) => e.entityId);
      expect(documentCreates.sort()).toEqual([...documentsA, ...documentsB].sort());

      // Every file on the server hashes to its name; every file of every document is there.
      const objects = path.join(serverDir, 'blobs', 'objects');
      const held = new Set<string>();
      for (const prefix of readdirSync(objects)) {
        for (const name of readdirSync(path.join(objects, prefix))) {
          expect(sha256(readFileSync(path.join(objects, prefix, name)))).toBe(name);
          held.add(name);
        }
      }
      for (const backend of [a, b]) {
        const files = backend.db
          .prepare(
            `SELECT source_sha256 AS sha FROM documents UNION SELECT image_sha256 FROM pages UNION SELECT thumb_sha256 FROM pages`,
          )
          .all() as { sha: string }[];
        for (const { sha } of files) expect(held.has(sha)).toBe(true);
      }

      // Counter B finds what counter A digitized for a citizen, and takes one without rescanning.
      await call(b, 'sync.now', {});
      const offered = await call(b, 'reuse.lookup', { citizenId: CITIZENS[2]! });
      const fromA = offered.filter((doc) => documentsA.includes(doc.documentId));
      expect(fromA.map((doc) => doc.documentId).sort()).toEqual(
        documentsA.filter((id) => owners.get(id) === CITIZENS[2]).sort(),
      );
      const taken = await call(b, 'sync.fetchDocument', { documentId: fromA[0]!.documentId });
      expect(taken.pageIds.length).toBe(1);
      const page = b.db.prepare('SELECT image_sha256, thumb_sha256 FROM pages WHERE id = ?').get(taken.pageIds[0]) as {
        image_sha256: string;
        thumb_sha256: string;
      };
      expect(sha256(await b.store.read(page.image_sha256))).toBe(page.image_sha256);
      expect(sha256(await b.store.read(page.thumb_sha256))).toBe(page.thumb_sha256);
      // Taking it wrote nothing to send back: the central store already has it.
      expect(pending(b)).toBe(0);

      // In the checklist: a new dossier at B for the same citizen is offered A's other document,
      // and reusing it fetches its files and records the reuse (a reference, not a copy).
      const procedures = await call(b, 'procedures.list', {});
      const dossier = await call(b, 'dossiers.create', {
        citizenId: CITIZENS[2]!,
        citizenName: 'Trần Thị Bình',
        procedureCode: procedures[0]!.code,
      });
      const suggestions = await call(b, 'reuse.suggest', { dossierId: dossier.id });
      const offeredHere = [...suggestions.others, ...suggestions.components.flatMap((c) => c.candidates)];
      const second = offeredHere.find((c) => c.documentId === fromA[1]!.documentId);
      expect(second?.source).toBe('central');
      const component = suggestions.components[0]!;
      const reused = await call(b, 'checklist.reuse', {
        componentId: component.componentId,
        documentId: second!.documentId,
      });
      expect(reused).toMatchObject({ reused: true, state: 'reused_component' });
      const fetched = b.db.prepare('SELECT count(*) AS n FROM pages WHERE document_id = ?').get(second!.documentId) as {
        n: number;
      };
      expect(fetched.n).toBe(1);
      // The reuse itself is new work at B: it goes to the central store like any change.
      expect(pending(b)).toBeGreaterThan(0);
      await syncUntilDone(b);
    });
  });
}
