import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { REPO_ASSETS_DIR } from '../../electron/core/backend';
import { migrate } from '../../electron/core/db/migrate';
import { createDossier, updateDossierStatus } from '../../electron/core/dossiers/dossier-service';
import { seedSampleCatalog } from '../../electron/core/procedures/catalog';
import { computeIndicators, factsOf } from '../../electron/core/reports/indicators';
import { loadScorecard } from '../../electron/core/reports/scorecard';
import { groupIndicators, indicatorRow, REPORT_GROUPINGS } from '../../shared/domain/scorecard';
import { renderTextPage } from '../fixtures/scans';
import { call, openTempBackend, tempDir } from '../support/temp-backend';

/**
 * Migration 008 keeps each dossier's indicator facts on its row, maintained by triggers. These
 * tests hold them to the definition: the same facts computed from the components, the catalog and
 * the status history (the query reports ran before 008), after every kind of write the app makes.
 */

// The definition, from the source tables (the pre-008 report query).
const DEFINITION_SQL = `
  SELECT d.id, d.code, d.created_at, d.procedure_code, d.channel,
         (SELECT h.actor FROM dossier_status_history h
           WHERE h.dossier_id = d.id AND h.to_status = 'received' ORDER BY h.id LIMIT 1) AS clerk,
         count(c.id) FILTER (WHERE c.required = 1 OR c.missing_reason IS NULL) AS counted_components,
         count(c.id) FILTER (WHERE (c.required = 1 OR c.missing_reason IS NULL) AND c.digitized = 0)
           AS components_without_file,
         coalesce(max(c.reused), 0) AS reused,
         coalesce(max(c.from_national_store), 0) AS from_national_store,
         coalesce(p.result_on_paper, 1) AS result_on_paper,
         d.result_document_id IS NOT NULL AS result_scanned
  FROM dossiers d
  LEFT JOIN catalog_procedures p ON p.version_id = d.catalog_version_id AND p.code = d.procedure_code
  LEFT JOIN dossier_components c ON c.dossier_id = d.id
  GROUP BY d.id ORDER BY d.id`;

const DERIVED_SQL = `
  SELECT id, code, created_at, procedure_code, channel, received_by AS clerk,
         fact_counted AS counted_components, fact_without_file AS components_without_file,
         fact_reused > 0 AS reused, fact_national > 0 AS from_national_store,
         fact_result_on_paper AS result_on_paper, result_document_id IS NOT NULL AS result_scanned
  FROM dossiers ORDER BY id`;

type Row = Parameters<typeof factsOf>[0];

/** The bits of `fact_flags`, from the per-dossier facts: what each report count sums. */
function flagsOf(row: Row): number {
  const facts = factsOf(row);
  return (
    (facts.digitized ? 1 : 0) | (facts.reused ? 2 : 0) | (facts.resultDigitized ? 4 : 0) | (facts.linkedToStore ? 8 : 0)
  );
}

function expectDerivedEqualsDefinition(db: Database.Database, step: string): void {
  const defined = db.prepare(DEFINITION_SQL).all() as Row[];
  expect(db.prepare(DERIVED_SQL).all(), step).toEqual(defined);
  const flags = db.prepare('SELECT fact_flags FROM dossiers ORDER BY id').pluck().all();
  expect(flags, step).toEqual(defined.map(flagsOf));
}

/** A small deterministic generator: the same "random" sequence on every run. */
function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % n;
  };
}

describe('migration 008: indicator facts on the dossier row', () => {
  it('backfills the facts of dossiers received before it', () => {
    const { dir, cleanup } = tempDir('sohoa-facts-migration-');
    const db = new Database(path.join(dir, 'old.db'));
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, 7);
      seedSampleCatalog(db, REPO_ASSETS_DIR);
      const ids = ['1.001193', '1.000894', '1.004227', '1.001193'].map(
        (procedureCode, i) =>
          createDossier(
            db,
            { citizenId: '001085012345', citizenName: 'Nguyễn Văn Thử', procedureCode },
            {
              actor: `clerk${i % 2}`,
            },
          ).id,
      );
      db.prepare(`UPDATE dossier_components SET state = 'digitized', digitized = 1 WHERE dossier_id = ?`).run(ids[0]);
      db.prepare(
        `UPDATE dossier_components SET state = 'reused_component', digitized = 1, reused = 1, from_national_store = 1
         WHERE dossier_id = ? AND position = 0`,
      ).run(ids[1]);
      db.prepare(`UPDATE catalog_procedures SET result_on_paper = 0 WHERE code = '1.004227'`).run();
      // A page indexed before: it must still be found, now through the prefix indexes.
      db.prepare(`INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, 1, 'image/png', '2025-01-01')`).run(
        'a'.repeat(64),
      );
      db.prepare(
        `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at)
         VALUES ('doc1', ?, '001085012345', 'Tờ khai', 'to-khai.png', ?, 1, '2025-01-01')`,
      ).run(ids[0], 'a'.repeat(64));
      db.prepare(
        `INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height, ocr_text, search_text)
         VALUES ('doc1', 1, ?, ?, 10, 10, 'Đăng ký khai sinh', 'dang ky khai sinh')`,
      ).run('a'.repeat(64), 'a'.repeat(64));
      const before = db.prepare(DEFINITION_SQL).all();

      expect(migrate(db)).toBeGreaterThanOrEqual(8);
      expect(db.prepare(DERIVED_SQL).all()).toEqual(before);
      expectDerivedEqualsDefinition(db, 'after the migration');
      const indexes = (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as { name: string }[]
      ).map((i) => i.name);
      expect(indexes).toContain('dossiers_by_created');
      const fts = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'pages_fts'`).pluck().get();
      expect(fts).toContain(`prefix = '1 2 3 4 5 6'`);
      const found = (match: string) =>
        db.prepare('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?').pluck().all(match);
      expect(found('"dang" "k"*')).toHaveLength(1);
      expect(found('"khai" "sinh"*')).toHaveLength(1);
      expect(found('"khai" "sinx"*')).toHaveLength(0);
      // The triggers of 001 keep feeding the new index.
      db.prepare(`UPDATE pages SET search_text = 'giay chung sinh' WHERE document_id = 'doc1'`).run();
      expect(found('"dang"')).toHaveLength(0);
      expect(found('"chun"*')).toHaveLength(1);
    } finally {
      db.close();
      cleanup();
    }
  });

  describe('through the app’s own calls, in a random order', () => {
    let backend: Backend;
    let close: () => Promise<void>;
    let dir: string;
    let scans = 0;

    beforeAll(async () => {
      ({ backend, close, dir } = await openTempBackend({ runOcr: false, runSync: false }));
      mkdirSync(path.join(dir, 'inputs'));
    });
    afterAll(async () => close?.());

    async function scan(dossierId: string): Promise<string> {
      scans += 1;
      const file = path.join(dir, 'inputs', `scan-${scans}.png`);
      writeFileSync(file, await renderTextPage({ lines: [`Bản quét ${scans}`], widthPx: 900, heightPx: 500 }));
      const [outcome] = await backend.importFiles([{ file, name: `scan-${scans}.png` }], {
        dossierId,
        citizenId: null,
      });
      if (!outcome?.ok) throw new Error('import failed');
      return outcome.documentId;
    }

    /** Recognition finishing, as the OCR runner records it (OCR itself is not what is tested here). */
    function finishRecognition(dossierId: string): void {
      backend.db
        .prepare(
          `UPDATE pages SET ocr_status = 'done'
           WHERE document_id IN (SELECT id FROM documents WHERE dossier_id = ?)`,
        )
        .run(dossierId);
      updateDossierStatus(backend.db, dossierId);
    }

    it('keeps the facts equal to the definition after each of 100 steps', async () => {
      const pick = seeded(766);
      const citizens = ['001085012345', '079190123456', '048085006789'];
      const dossiers: string[] = [];
      const checklist = async (dossierId: string) => (await call(backend, 'checklist.get', { dossierId })).components;
      const anyOf = <T>(list: readonly T[]): T | undefined => list[pick(Math.max(1, list.length))];
      const kinds: Record<string, number> = {};

      const province = [
        'Mã thủ tục;Tên thủ tục;Lĩnh vực;Cấp thực hiện;Kết quả giấy;Số ngày xử lý;Loại giấy tờ kết quả;Mã thành phần;Tên thành phần;Mã loại giấy tờ;Bắt buộc',
        '1.001193;Đăng ký khai sinh;Hộ tịch;Cấp xã;không;3;giay-khai-sinh;TK;Tờ khai;to-khai;có',
        '1.001193;;;;;;;UQ;Văn bản ủy quyền;giay-uy-quyen;không',
        '1.000894;Đăng ký kết hôn;Hộ tịch;Cấp xã;có;5;giay-chung-nhan-ket-hon;TK;Tờ khai;to-khai;có',
        '1.000894;;;;;;;GKS;Bản sao giấy khai sinh;giay-khai-sinh;không',
      ].join('\r\n');

      for (let step = 0; step < 100; step++) {
        const dossierId = anyOf(dossiers);
        const roll = dossiers.length < 3 ? 0 : pick(13);
        let kind = 'none';
        if (roll === 0) {
          const procedures = await call(backend, 'procedures.list', {});
          const created = await call(backend, 'dossiers.create', {
            citizenId: anyOf(citizens) ?? '001085012345',
            citizenName: 'Trần Thị Thử',
            procedureCode: anyOf(procedures)?.code ?? '1.001193',
            channel: (1 + pick(3)) as 1 | 2 | 3,
          });
          dossiers.push(created.id);
          kind = 'create';
        } else if (dossierId && roll <= 2) {
          // Scan a document and put it under a component.
          const component = anyOf(await checklist(dossierId));
          const result = component
            ? await backend.call('checklist.assign', {
                componentId: component.id,
                documentId: await scan(dossierId),
              })
            : null;
          kind = result?.ok ? 'assign' : 'assign-refused';
        } else if (dossierId && roll === 3) {
          const items = (await checklist(dossierId)).flatMap((c) => c.items);
          const item = anyOf(items);
          const result = item ? await backend.call('checklist.unassign', { itemId: item.id }) : null;
          kind = result?.ok ? 'unassign' : 'unassign-refused';
        } else if (dossierId && roll === 4) {
          const open = (await checklist(dossierId)).filter((c) => c.state === 'not_digitized');
          const component = anyOf(open);
          const result = component
            ? await backend.call('checklist.markMissing', { componentId: component.id, reason: 'Công dân chưa mang' })
            : null;
          kind = result?.ok ? 'markMissing' : 'markMissing-refused';
        } else if (roll <= 6) {
          // Any component marked missing, in any dossier: the citizen brought it after all.
          const missing = backend.db
            .prepare('SELECT id FROM dossier_components WHERE missing_reason IS NOT NULL ORDER BY id')
            .all() as { id: string }[];
          const component = anyOf(missing);
          const result = component ? await backend.call('checklist.clearMissing', { componentId: component.id }) : null;
          kind = result?.ok ? 'clearMissing' : 'clearMissing-refused';
        } else if (dossierId && roll <= 8) {
          // Reuse what the citizen already has, as the clerk would from the suggestions.
          const suggestions = await call(backend, 'reuse.suggest', { dossierId });
          const offers = suggestions.components.flatMap((c) =>
            c.candidates.map((candidate) => ({ componentId: c.componentId, documentId: candidate.documentId })),
          );
          const offer = anyOf(offers);
          const result = offer ? await backend.call('checklist.reuse', offer) : null;
          kind = result?.ok ? 'reuse' : 'reuse-refused';
        } else if (dossierId && roll === 9) {
          const pending = await call(backend, 'approval.list', { status: 'pending', dossierId });
          const item = anyOf(pending);
          const result = item
            ? await backend.call('approval.decide', { itemId: item.itemId, decision: 'rejected', reason: 'Ảnh mờ' })
            : null;
          kind = result?.ok ? 'reject' : 'reject-refused';
        } else if (dossierId && roll === 10) {
          // The result, scanned or not, once the dossier is digitized.
          finishRecognition(dossierId);
          const withScan = (kinds['result'] ?? 0) >= (kinds['result-scanned'] ?? 0); // both, in turn
          const documentId = withScan ? await scan(dossierId) : null;
          if (documentId) finishRecognition(dossierId);
          const result = await backend.call('dossiers.recordResult', {
            dossierId,
            resultCode: `KQ.G15.${String(step).padStart(6, '0')}`,
            documentId,
          });
          kind = result.ok ? (withScan ? 'result-scanned' : 'result') : 'result-refused';
        } else if (roll === 11) {
          if (!kinds['catalog-import']) {
            const upload = await backend.uploads.receive('tinh.csv', Buffer.from(province, 'utf8'));
            await call(backend, 'procedures.import', { upload });
            kind = 'catalog-import';
          } else {
            // An administrator's correction of a procedure's result type in place.
            backend.db
              .prepare(
                `UPDATE catalog_procedures SET result_on_paper = 1 - result_on_paper
                 WHERE version_id = (SELECT max(version_id) FROM catalog_procedures) AND code = '1.001193'`,
              )
              .run();
            kind = 'catalog-result-on-paper';
          }
        } else if (dossierId) {
          // Who received it, corrected in the history (as a sync from another workstation would).
          backend.db
            .prepare(`UPDATE dossier_status_history SET actor = ? WHERE dossier_id = ? AND to_status = 'received'`)
            .run(`clerk${pick(3)}`, dossierId);
          kind = 'history-actor';
        }
        kinds[kind] = (kinds[kind] ?? 0) + 1;
        expectDerivedEqualsDefinition(backend.db, `step ${step}: ${kind}`);
      }
      // The sequence really went through every write path.
      for (const kind of [
        'create',
        'assign',
        'unassign',
        'markMissing',
        'clearMissing',
        'reuse',
        'reject',
        'result',
        'result-scanned',
        'catalog-import',
        'catalog-result-on-paper',
        'history-actor',
      ]) {
        expect(kinds[kind] ?? 0, `${kind} in ${JSON.stringify(kinds)}`).toBeGreaterThan(0);
      }
    }, 120_000);

    it('counts every grouping exactly as the per-dossier facts do', () => {
      const scorecard = loadScorecard(REPO_ASSETS_DIR);
      const facts = (backend.db.prepare(DEFINITION_SQL).all() as Row[]).map(factsOf);
      const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
      expect(facts.length).toBeGreaterThan(5);
      for (const by of [undefined, ...REPORT_GROUPINGS]) {
        const report = computeIndicators(backend.db, scorecard, { from: '2020-01-01', to: today, by });
        expect(report.groups, by).toEqual(groupIndicators(facts, by, scorecard));
        expect(report.total, by).toEqual(indicatorRow('all', facts, scorecard));
      }
    });
  });
});
