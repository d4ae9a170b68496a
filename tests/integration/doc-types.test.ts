import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../shared/api/errors';
import { compileDocTypeRules, docTypeFeatures, ruleScores, suggestDocType } from '../../shared/domain/doc-types';
import { REPO_ASSETS_DIR } from '../../electron/core/backend';
import { openDatabase, type Db } from '../../electron/core/db/database';
import { DocTypeService, documentTypeState } from '../../electron/core/doc-types/doc-type-service';
import { catchUpLearning } from '../../electron/core/doc-types/learned-model';
import { DOC_TYPES_FILE, loadDocTypeRules } from '../../electron/core/doc-types/rules-file';
import { GENERATED_DOC_TYPES, generateDocTypeSet, splitTrainTest } from '../fixtures/doc-types';
import { tempDir } from '../support/temp-backend';
import { insertRecognizedDocument } from '../support/text-documents';

const ruleSet = loadDocTypeRules(REPO_ASSETS_DIR);
const compiled = compileDocTypeRules(ruleSet);
const suggest = (text: string, cccdQr = false) =>
  suggestDocType(compiled, { text, signals: new Set(cccdQr ? (['cccdQr'] as const) : []) }).code;

describe('document-type rules (assets/reference/document-types.json)', () => {
  it('covers every type the generator labels, with a Vietnamese and an English name', () => {
    const codes = ruleSet.types.map((type) => type.code);
    for (const type of GENERATED_DOC_TYPES) expect(codes).toContain(type);
    for (const type of ruleSet.types) {
      expect(type.nameVi.trim()).not.toBe('');
      expect(type.nameEn.trim()).not.toBe('');
    }
  });

  it('decides by the heading when the body mentions other documents', () => {
    const header = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n';
    expect(suggest(`${header}TỜ KHAI ĐĂNG KÝ KHAI SINH\nKính gửi: UBND phường\nNgười yêu cầu`)).toBe('to-khai');
    expect(suggest(`${header}GIẤY KHAI SINH\nHọ, chữ đệm, tên: Nguyễn Văn An`)).toBe('giay-khai-sinh');
    expect(
      suggest(`${header}ĐƠN ĐỀ NGHỊ CẤP GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nTôi tên là Trần Thị Lan\nNgười làm đơn`),
    ).toBe('don');
    expect(suggest(`${header}HỢP ĐỒNG ỦY QUYỀN\nBên ủy quyền: Ông Nguyễn Văn An`)).toBe('giay-uy-quyen');
  });

  it('reads OCR text that lost its diacritics, and weighs a chip ID card QR code', () => {
    expect(suggest('GIAY CHUNG NHAN KET HON\nBen nu | Ben nam')).toBe('giay-chung-nhan-ket-hon');
    // The back of a card: little text, but the QR code read from the page says what it is.
    expect(suggest('Ngày, tháng, năm: 01/05/2021')).toBeNull();
    expect(suggest('Ngày, tháng, năm: 01/05/2021', true)).toBe('cccd');
  });

  it('suggests nothing when no rule fits well enough', () => {
    expect(suggest('Danh sách học sinh lớp 4A năm học 2023-2024')).toBeNull();
    const scores = ruleScores(compiled, { text: '' });
    expect([...scores.values()].every((score) => score === 0)).toBe(true);
  });

  it('learns from words, not from numbers: ID numbers, dates and amounts are no features', () => {
    const features = docTypeFeatures('Số định danh cá nhân: 001085012345, ngày 15/03/1985, giá 1.200.000 đồng');
    expect(features).toContain('dinh danh');
    expect(features.filter((feature) => /^\d+$/.test(feature))).toEqual([]);
    expect(features).not.toContain('001085012345');
  });

  it('refuses a broken rules file with the place of the mistake', () => {
    const { dir, cleanup } = tempDir('sohoa-doctypes-');
    try {
      mkdirSync(path.join(dir, 'reference'));
      const bad = {
        version: 1,
        titleLines: 10,
        minScore: 5,
        types: [{ code: 'X Y', nameVi: 'a', nameEn: 'b', rules: [] }],
      };
      writeFileSync(path.join(dir, DOC_TYPES_FILE), JSON.stringify(bad));
      let refusal: AppFailure | null = null;
      try {
        loadDocTypeRules(dir);
      } catch (error) {
        refusal = error instanceof AppFailure ? error : null;
      }
      expect(refusal?.appError.message).toMatch(/không hợp lệ ở “types\.0\.code”/);
      expect(refusal?.appError.messageEn).toMatch(/invalid at “types\.0\.code”/);
    } finally {
      cleanup();
    }
  });
});

describe('learning document types from the clerk’s choices (real SQLite)', () => {
  let db: Db;
  let cleanup: () => void;
  let service: DocTypeService;

  beforeEach(() => {
    const temp = tempDir('sohoa-doctypes-');
    cleanup = temp.cleanup;
    db = openDatabase(path.join(temp.dir, 'sohoa.db'));
    service = new DocTypeService(ruleSet);
  });

  /**
   * A counter's history: the clerk has confirmed one ordinary document of each type. Learning
   * needs that contrast (see shared/domain/doc-types.ts): with one type only, nothing can move.
   */
  function confirmHistory(): void {
    for (const item of generateDocTypeSet({ perType: 1, seed: 77 })) {
      service.setType(db, addRecognized(item.text), item.type);
    }
  }

  function modelCounts(): unknown {
    return {
      classes: db.prepare('SELECT * FROM doc_type_classes ORDER BY type_code').all(),
      features: db.prepare('SELECT * FROM doc_type_features ORDER BY feature, type_code').all(),
    };
  }
  afterEach(() => {
    db.close();
    cleanup();
  });

  /** A province's own form, titled neither "tờ khai" nor "đơn", full of land-certificate words. */
  function landForm(owner: string, parcel: number): string {
    return [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'BẢN KÊ KHAI THÔNG TIN NGƯỜI SỬ DỤNG ĐẤT',
      `Họ và tên người sử dụng đất: ${owner}`,
      `Thửa đất số: ${parcel}, tờ bản đồ số: ${parcel % 40}`,
      'Mục đích sử dụng: đất ở tại đô thị; Thời hạn sử dụng: lâu dài',
      'Nguồn gốc sử dụng: nhận chuyển nhượng',
      'Người kê khai cam kết kê khai trung thực và chịu trách nhiệm về thông tin kê khai',
      'Người kê khai',
    ].join('\n');
  }

  function addRecognized(text: string, dossierId: string | null = null): string {
    const { documentId, pageId } = insertRecognizedDocument(db, text, { dossierId });
    service.refreshAfterOcr(db, pageId);
    return documentId;
  }

  it('changes a wrong suggestion after a few confirmations, and forgets exactly when they are withdrawn', () => {
    confirmHistory();
    const history = modelCounts();
    const fresh = addRecognized(landForm('Lê Thị Hoa', 301));
    const wrong = documentTypeState(db, fresh).suggested;
    expect(wrong).toBe('gcn-qsdd');

    const taught = [addRecognized(landForm('Nguyễn Văn An', 12)), addRecognized(landForm('Phạm Minh Đức', 45))];
    for (const documentId of taught) {
      expect(service.setType(db, documentId, 'to-khai')).toMatchObject({ documentId, confirmed: 'to-khai' });
    }
    // A new form of the same kind, another person and parcel: the learned model outweighs the rules.
    const next = addRecognized(landForm('Trần Quốc Bảo', 522));
    expect(documentTypeState(db, next)).toEqual({ documentId: next, suggested: 'to-khai', confirmed: null });
    expect(
      (db.prepare('SELECT doc_type FROM documents WHERE id = ?').get(taught[0]) as { doc_type: string }).doc_type,
    ).toBe('to-khai');

    for (const documentId of taught) service.setType(db, documentId, null);
    expect(modelCounts()).toEqual(history);
    service.refreshDocument(db, next);
    expect(documentTypeState(db, next).suggested).toBe(wrong);
  });

  it('refreshes the suggestions of the other unconfirmed documents of the dossier at once', () => {
    db.prepare(
      `INSERT INTO catalog_versions (id, label, source_name, procedure_count, imported_at, imported_by)
       VALUES (99, 't', 't', 1, '2025-01-01T00:00:00Z', 'test')`,
    ).run();
    db.prepare(`INSERT INTO catalog_procedures (version_id, code, name) VALUES (99, '1.003005', 'x')`).run();
    db.prepare(
      `INSERT INTO dossiers (id, code, citizen_id, catalog_version_id, procedure_code, status, created_at, updated_at)
       VALUES ('d1', '000.00.00.H00-250101-0001', '001085012345', 99, '1.003005', 'received', 'x', 'x')`,
    ).run();
    confirmHistory();
    const sibling = addRecognized(landForm('Lê Thị Hoa', 301), 'd1');
    expect(documentTypeState(db, sibling).suggested).toBe('gcn-qsdd');
    const taught = ['Nguyễn Văn An', 'Phạm Minh Đức'].map((name, i) => addRecognized(landForm(name, 10 + i), 'd1'));
    for (const documentId of taught) service.setType(db, documentId, 'to-khai');
    expect(documentTypeState(db, sibling).suggested).toBe('to-khai');
  });

  it('learns a type set elsewhere (assigning the document to a checklist component), even before OCR ends', () => {
    const { documentId, pageId } = insertRecognizedDocument(db, '');
    db.prepare(`UPDATE pages SET ocr_status = 'queued' WHERE id = ?`).run(pageId);
    // The checklist writes documents.doc_type directly; the trigger queues it for learning.
    db.prepare(`UPDATE documents SET doc_type = 'to-khai' WHERE id = ?`).run(documentId);
    catchUpLearning(db);
    expect(db.prepare('SELECT document_id FROM doc_type_relearn').all()).toEqual([{ document_id: documentId }]);
    db.prepare(`UPDATE pages SET ocr_status = 'done', ocr_text = ? WHERE id = ?`).run(
      landForm('Hồ Văn Lực', 7),
      pageId,
    );
    service.refreshAfterOcr(db, pageId);
    expect(db.prepare('SELECT type_code FROM doc_type_examples WHERE document_id = ?').get(documentId)).toEqual({
      type_code: 'to-khai',
    });
    expect(db.prepare('SELECT count(*) AS n FROM doc_type_relearn').get()).toEqual({ n: 0 });
  });

  it('refuses a type that is not in the list, and an unknown document', () => {
    const documentId = addRecognized(landForm('Lê Thị Hoa', 3));
    const refusal = (run: () => unknown): unknown => {
      try {
        run();
        return null;
      } catch (error) {
        return error instanceof AppFailure ? error.appError : error;
      }
    };
    expect(refusal(() => service.setType(db, documentId, 'no-such-type'))).toMatchObject({
      code: 'VALIDATION',
      field: 'code',
      message: 'Loại giấy tờ không có trong danh mục.',
    });
    expect(refusal(() => service.setType(db, 'missing', 'to-khai'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('is right on at least 80 % of a generated labelled set from the rules alone, and 95 % after learning', () => {
    // Stated floors, measured on this fixed set (bench/doctype.ts prints the full figures).
    const { train, test } = splitTrainTest(generateDocTypeSet({ perType: 12, seed: 2024 }), 0.5, 11);
    const testDocs = test.map((item) => ({ item, documentId: addRecognized(item.text) }));
    const accuracy = (): number =>
      testDocs.filter(({ item, documentId }) => {
        service.refreshDocument(db, documentId);
        return documentTypeState(db, documentId).suggested === item.type;
      }).length / testDocs.length;
    const rulesOnly = accuracy();
    for (const item of train) service.setType(db, addRecognized(item.text), item.type);
    const learned = accuracy();
    expect(rulesOnly).toBeGreaterThanOrEqual(0.8);
    expect(learned).toBeGreaterThanOrEqual(0.95);
    expect(learned).toBeGreaterThan(rulesOnly);
  });
});
