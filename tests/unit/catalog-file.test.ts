import { describe, expect, it } from 'vitest';
import { AppFailure, type AppError } from '../../shared/api/errors';
import { parseCatalogFile } from '../../electron/core/procedures/catalog-file';
import { parseCsv } from '../../electron/core/procedures/csv';

const utf8 = (text: string) => new TextEncoder().encode(text);
const BOM = '\uFEFF';

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppFailure) return error.appError;
    throw error;
  }
  throw new Error('expected a refusal');
}

const HEADER_VI =
  'Mã thủ tục;Tên thủ tục;Lĩnh vực;Cấp thực hiện;Kết quả giấy;Số ngày xử lý;Mã thành phần;Tên thành phần;Mã loại giấy tờ;Bắt buộc';

describe('catalog CSV', () => {
  it('reads a spreadsheet export: BOM, semicolons, Vietnamese headers, quoted fields, repeated procedure rows', () => {
    const csv = [
      HEADER_VI,
      '1.001193;Đăng ký khai sinh;Hộ tịch;Cấp xã;có;3;TK;"Tờ khai; mẫu ""TP/HT"" mới";to-khai;có',
      '1.001193;;;;;;GCS;"Giấy chứng sinh',
      '(bản chính)";giay-chung-sinh;',
      '',
      '2.000986;Cấp giấy chứng nhận quyền sử dụng đất;Đất đai;Cấp tỉnh;Có;30;DON;Đơn đăng ký;DON;không',
      '1.004227;Trích lục;Hộ tịch;Cấp xã;không;0;;;;',
    ].join('\r\n');
    const catalog = parseCatalogFile(utf8(BOM + csv), 'danh-muc.csv');
    expect(catalog.procedures.map((p) => p.code)).toEqual(['1.001193', '2.000986', '1.004227']);
    const [birth, land, extract] = catalog.procedures;
    expect(birth).toMatchObject({
      name: 'Đăng ký khai sinh',
      field: 'Hộ tịch',
      level: 'Cấp xã',
      resultOnPaper: true,
      processingDays: 3,
    });
    expect(birth?.components).toEqual([
      { code: 'TK', name: 'Tờ khai; mẫu "TP/HT" mới', docType: 'to-khai', required: true },
      { code: 'GCS', name: 'Giấy chứng sinh (bản chính)', docType: 'giay-chung-sinh', required: true },
    ]);
    expect(land?.components).toEqual([{ code: 'DON', name: 'Đơn đăng ký', docType: 'don', required: false }]);
    expect(extract).toMatchObject({ resultOnPaper: false, processingDays: 0, components: [] });
  });

  it('reads commas and English headers, without a BOM', () => {
    const csv =
      'code,name,field,level,result_on_paper,processing_days,component_code,component_name,doc_type\n' +
      '1.000894,"Đăng ký kết hôn, có yếu tố nước ngoài",Hộ tịch,Cấp tỉnh,yes,15,TK,Tờ khai,to-khai\n';
    const [procedure] = parseCatalogFile(utf8(csv), 'catalog.csv').procedures;
    expect(procedure).toMatchObject({
      name: 'Đăng ký kết hôn, có yếu tố nước ngoài',
      processingDays: 15,
      resultOnPaper: true,
    });
  });

  it('names the row and the column of a bad value', () => {
    const csv = [
      HEADER_VI,
      '1.001193;Đăng ký khai sinh;Hộ tịch;Cấp xã;có;3;TK;Tờ khai;to-khai;có',
      '1.000894;Đăng ký kết hôn;Hộ tịch;Cấp xã;có;ba ngày;TK;Tờ khai;to-khai;có',
    ].join('\n');
    const error = refusal(() => parseCatalogFile(utf8(csv), 'x.csv'));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('Dòng 3, cột “Số ngày xử lý” (F)');
    expect(error.message).toContain('số ngày xử lý phải là số nguyên');
    expect(error.message).toMatch(/chưa nhập gì/);
    expect(error.messageEn).toContain('Line 3, column “Số ngày xử lý” (F)');
  });

  it('lists several problems at once and counts the rest', () => {
    const rows = Array.from(
      { length: 12 },
      (_, i) => `1.00${String(1000 + i)};Thủ tục ${i};;;có;x;TK;Tờ khai;to-khai;`,
    );
    const error = refusal(() => parseCatalogFile(utf8([HEADER_VI, ...rows].join('\n')), 'x.csv'));
    expect(error.message).toContain('Dòng 2,');
    expect(error.message).toContain('Dòng 9,');
    expect(error.message).toMatch(/và 4 lỗi khác/);
  });

  it('catches an unquoted delimiter inside a name, a bad code, a missing column, a conflicting repeat', () => {
    const extraColumn = refusal(() =>
      parseCatalogFile(
        utf8(`${HEADER_VI}\n1.001193;Đăng ký; khai sinh;Hộ tịch;Cấp xã;có;3;TK;Tờ khai;to-khai;có\n`),
        'x.csv',
      ),
    );
    expect(extraColumn.message).toMatch(/Dòng 2: có 11 cột, nhiều hơn 10 cột/);

    const badCode = refusal(() => parseCatalogFile(utf8(`${HEADER_VI}\n1001193;A;;;có;3;TK;B;to-khai;\n`), 'x.csv'));
    expect(badCode.message).toMatch(/Dòng 2, cột “Mã thủ tục” \(A\): mã thủ tục “1001193” không đúng dạng/);

    const noDays = refusal(() =>
      parseCatalogFile(
        utf8('Mã thủ tục;Tên thủ tục;Kết quả giấy;Mã thành phần;Tên thành phần;Mã loại giấy tờ\n'),
        'x.csv',
      ),
    );
    expect(noDays.message).toMatch(/Dòng 1 \(tiêu đề\): thiếu cột “so_ngay_xu_ly”/);

    const conflict = refusal(() =>
      parseCatalogFile(
        utf8(
          `${HEADER_VI}\n1.001193;Đăng ký khai sinh;;;có;3;TK;Tờ khai;to-khai;\n1.001193;;;;;5;GCS;Giấy chứng sinh;giay-chung-sinh;\n`,
        ),
        'x.csv',
      ),
    );
    expect(conflict.message).toMatch(/Dòng 3, cột “Số ngày xử lý” \(F\): khác với dòng 2 của cùng thủ tục 1\.001193/);

    const duplicate = refusal(() =>
      parseCatalogFile(
        utf8(`${HEADER_VI}\n1.001193;A;;;có;3;TK;Tờ khai;to-khai;\n1.001193;A;;;có;3;TK;Tờ khai 2;to-khai;\n`),
        'x.csv',
      ),
    );
    expect(duplicate.message).toMatch(/Dòng 3, cột “Mã thành phần” \(G\): thành phần “TK” đã có ở dòng 2/);
  });

  it('names the line of an unclosed quote', () => {
    const error = refusal(() =>
      parseCatalogFile(utf8(`${HEADER_VI}\n1.001193;"Đăng ký khai sinh;;;có;3;TK;T;to-khai;\n`), 'x.csv'),
    );
    expect(error.message).toMatch(/dòng 2: dấu ngoặc kép/);
  });

  it('refuses files that are not UTF-8, with how to fix them', () => {
    // "Đăng" in Windows-1258: Đ is 0xD0, ă is 0xE3 — not valid UTF-8.
    const cp1258 = new Uint8Array([0x4d, 0x61, 0x3b, 0xd0, 0xe3, 0x6e, 0x67, 0x0a]);
    expect(refusal(() => parseCatalogFile(cp1258, 'x.csv')).message).toMatch(/không phải mã UTF-8.*CSV UTF-8/);
    const utf16 = new Uint8Array([0xff, 0xfe, 0x4d, 0x00]);
    expect(refusal(() => parseCatalogFile(utf16, 'x.csv')).message).toMatch(/UTF-16/);
    expect(refusal(() => parseCatalogFile(utf8(''), 'x.csv')).message).toMatch(/trống/);
  });
});

describe('catalog JSON', () => {
  it('reads the documented shape and the sample flag', () => {
    const catalog = parseCatalogFile(
      utf8(
        JSON.stringify({
          sample: true,
          procedures: [
            {
              code: '1.001193',
              name: 'Đăng ký khai sinh',
              field: 'Hộ tịch',
              level: 'Cấp xã',
              resultOnPaper: true,
              processingDays: 1,
              resultDocType: 'giay-khai-sinh',
              components: [{ code: 'TK', name: 'Tờ khai', docType: 'to-khai', required: false }],
            },
          ],
        }),
      ),
      'c.json',
    );
    expect(catalog.sample).toBe(true);
    expect(catalog.procedures[0]).toMatchObject({ resultDocType: 'giay-khai-sinh', components: [{ required: false }] });
  });

  it('names the procedure, component and field of a bad value, and a syntax error line', () => {
    const error = refusal(() =>
      parseCatalogFile(
        utf8(
          JSON.stringify([
            { code: '1.001193', name: 'A', resultOnPaper: true, processingDays: 1, components: [] },
            {
              code: '1.000894',
              name: 'B',
              resultOnPaper: 'maybe',
              processingDays: -2,
              components: [{ code: 'TK', name: '', docType: 'Tờ khai' }],
            },
          ]),
        ),
        'c.json',
      ),
    );
    expect(error.message).toContain('Thủ tục thứ 2 (mã 1.000894), trường “resultOnPaper”: phải là “có” hoặc “không”');
    expect(error.message).toContain('trường “processingDays”');
    expect(error.message).toContain('Thủ tục thứ 2 (mã 1.000894), thành phần thứ 1, trường “name”: thiếu giá trị');
    expect(error.message).toContain('thành phần thứ 1, trường “docType”');
    const syntax = refusal(() =>
      parseCatalogFile(utf8('{\n  "procedures": [\n    { "code": "1.001193", }\n  ]\n}'), 'c.json'),
    );
    expect(syntax.message).toMatch(/sai cú pháp ở dòng 3/);
  });
});

describe('CSV reader', () => {
  it('keeps the line each record starts on', () => {
    expect(parseCsv('a,b\n"x\ny",z\n\nq,r', ',')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\ny', 'z'] },
      { line: 5, fields: ['q', 'r'] },
    ]);
  });
});
