/**
 * Pure parts of sync: the protocol version header, backoff with jitter, the server's rate
 * limiter, and the mapping of sync records onto the national portal's field names.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, withRetry } from '../../electron/core/sync/retry';
import { countsAsReuse, toPortalDossier } from '../../shared/sync/portal-mapping';
import { protocolMajor } from '../../shared/sync/protocol';
import { DocumentRecord, DossierRecord, DossierStatusRecord } from '../../shared/sync/records';
import { RateLimiter } from '../../sync-server/http/rate-limit';

describe('protocol version header', () => {
  it('reads the major version of `major` or `major.minor`, and nothing else', () => {
    expect(protocolMajor('1')).toBe(1);
    expect(protocolMajor('1.0')).toBe(1);
    expect(protocolMajor(' 2.13 ')).toBe(2);
    for (const bad of [undefined, '', 'v1', '1.x', '1.0.0', 'one', '-1']) expect(protocolMajor(bad)).toBeNull();
  });
});

describe('backoff', () => {
  it('waits a random time below base·2^n, capped, so clients spread out', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (n, r) => {
        const delay = backoffDelay(n, { baseMs: 200, maxMs: 10_000 }, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(10_000, 200 * 2 ** n));
      }),
    );
    // The ceiling grows with each attempt until the cap.
    expect(backoffDelay(0, { baseMs: 200, maxMs: 10_000 }, () => 0.999)).toBeLessThan(200);
    expect(backoffDelay(3, { baseMs: 200, maxMs: 10_000 }, () => 0.999)).toBeGreaterThan(1500);
    expect(backoffDelay(30, { baseMs: 200, maxMs: 10_000 }, () => 0.999)).toBeLessThan(10_000);
  });

  it('retries only what may pass later, and gives the last error up', async () => {
    let calls = 0;
    const flaky = await withRetry(
      async () => {
        if (++calls < 3) throw new Error('transient');
        return 'ok';
      },
      { attempts: 5, baseMs: 1, maxMs: 2, isRetryable: () => true },
    );
    expect(flaky).toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('permanent');
        },
        { attempts: 5, baseMs: 1, maxMs: 2, isRetryable: () => false },
      ),
    ).rejects.toThrow('permanent');
    expect(calls).toBe(1);
  });
});

describe('rate limiter', () => {
  it('lets a burst through, then one request per interval, per key', () => {
    const limiter = new RateLimiter(2, 3);
    const t = 1_000_000;
    expect([limiter.take('a', t), limiter.take('a', t), limiter.take('a', t)]).toEqual([0, 0, 0]);
    expect(limiter.take('a', t)).toBeGreaterThan(0);
    expect(limiter.take('b', t)).toBe(0);
    expect(limiter.take('a', t + 500)).toBe(0);
    expect(limiter.take('a', t + 500)).toBeGreaterThan(0);
  });
});

describe('portal mapping', () => {
  const documents = [
    DocumentRecord.parse({
      documentId: 'doc-1',
      kind: 'component',
      dossierId: 'd-1',
      dossierCode: '000.00.01.H26-250301-0001',
      procedureCode: '1.001193',
      owner: { citizenId: '048085006789', name: 'Phạm Thị Dung' },
      title: 'Giấy khai sinh',
      pageCount: 1,
      digitizedAt: '2025-03-01T01:05:00.000Z',
      source: { sha256: 'a'.repeat(64), size: 1234, mime: 'application/pdf', name: 'khai-sinh.pdf' },
      pages: [],
    }),
  ];
  const dossier = DossierRecord.parse({
    dossierId: 'd-1',
    code: '000.00.01.H26-250301-0001',
    procedureCode: '1.001193',
    channel: 3,
    owner: { citizenId: '048085006789', name: 'Phạm Thị Dung' },
    status: 'digitizing',
    receivedAt: '2025-03-01T01:00:00.000Z',
    components: [
      {
        code: 'TP1',
        name: 'Giấy khai sinh',
        state: 'digitized',
        digitized: true,
        reused: false,
        fromNationalStore: false,
        replacedByResult: null,
        documentIds: ['doc-1'],
      },
      {
        code: 'TP2',
        name: 'Giấy chứng nhận kết hôn',
        state: 'reused_result',
        digitized: true,
        reused: true,
        fromNationalStore: false,
        replacedByResult: 'KQ.G15.000031',
        documentIds: [],
      },
    ],
    results: [],
  });
  const statuses = ['digitized', 'received', 'digitizing'].map((status, i) =>
    DossierStatusRecord.parse({
      dossierId: 'd-1',
      code: dossier.code,
      status,
      at: `2025-03-01T0${[3, 1, 2][i]}:00:00.000Z`,
      by: 'desktop:ws1',
    }),
  );

  it('gives the portal its field names and flags, every status in time order, and the latest status', () => {
    const portal = toPortalDossier(dossier, statuses, documents);
    expect(portal).toMatchObject({
      MaHoSo: '000.00.01.H26-250301-0001',
      MaTTHC: '1.001193',
      KenhThucHien: 3,
      ChuHoSo: { SoDinhDanh: '048085006789', HoTen: 'Phạm Thị Dung' },
      TrangThaiHoSo: 'digitized',
    });
    expect(portal.QuaTrinhXuLy.map((s) => s.TrangThaiHoSo)).toEqual(['received', 'digitizing', 'digitized']);
    expect(portal.ThanhPhanHoSo[0]).toEqual({
      MaThanhPhan: 'TP1',
      TenThanhPhan: 'Giấy khai sinh',
      DuocSoHoa: 1,
      DuocTaiSuDung: 0,
      DuocLayTuKhoDMQG: 0,
      MaKetQuaThayThe: null,
      TepDinhKem: [
        { TenTepDinhKem: 'khai-sinh.pdf', MaHash: 'a'.repeat(64), KichThuoc: 1234, DinhDang: 'application/pdf' },
      ],
    });
    expect(portal.ThanhPhanHoSo[1]).toMatchObject({ DuocTaiSuDung: 1, MaKetQuaThayThe: 'KQ.G15.000031' });
    expect(countsAsReuse(portal)).toBe(true);
    const plain = toPortalDossier({ ...dossier, components: [dossier.components[0]!] }, [], documents);
    expect(plain.TrangThaiHoSo).toBe('digitizing');
    expect(countsAsReuse(plain)).toBe(false);
  });
});
