/**
 * One generated province-year for the benches (issue 7, "Measure"): dossiers received over 2025
 * with their checklists and reception history, and optionally documents with pages of OCR text.
 * Everything goes through the app's tables and triggers (the report facts of migration 008, the
 * FTS index of pages), in large transactions, as a busy counter's year would leave them.
 * Synthetic data only: invented names, ID numbers in the valid format.
 */
import { activeCatalogVersionId } from '../electron/core/procedures/catalog.ts';
import type { Db } from '../electron/core/db/database.ts';
import { foldText } from '../shared/domain/fold.ts';

/** A small deterministic generator: the same data on every run. */
export function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state ^ (state >>> 15), 2_246_822_519) + 0x9e3779b9) >>> 0;
    state ^= state >>> 13;
    return (state >>> 0) % n;
  };
}

const SURNAMES = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Hữu', 'Đức', 'Thanh', 'Ngọc', 'Quang', 'Thu', 'Xuân', 'Hoài', 'Bảo'];
const GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hiếu',
  'Hoa',
  'Hùng',
  'Hương',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Phong',
  'Phúc',
  'Quân',
  'Sơn',
  'Tâm',
  'Thảo',
  'Trang',
  'Tuấn',
  'Yến',
];
/** Given names that occur rarely (the "rare" name searches). */
export const RARE_GIVEN = ['Diễm Kiều', 'Khuê Vĩ', 'Ưng Hoàng'];

/** The province codes of ID numbers: a few provinces of birth. */
const ID_PROVINCES = ['001', '079', '048', '031', '026', '036'];

/** Phrases of administrative documents, commonest first (picked with a Zipf-like weight). */
const PHRASES = [
  'đăng ký',
  'ủy ban nhân dân',
  'xã',
  'phường',
  'huyện',
  'tỉnh',
  'ngày',
  'tháng',
  'năm',
  'họ và tên',
  'ngày sinh',
  'giới tính',
  'nam',
  'nữ',
  'dân tộc kinh',
  'quốc tịch việt nam',
  'nơi cư trú',
  'số định danh cá nhân',
  'giấy tờ tùy thân',
  'căn cước công dân',
  'cấp ngày',
  'nơi cấp',
  'cục cảnh sát quản lý hành chính về trật tự xã hội',
  'đề nghị',
  'cơ quan',
  'khai sinh',
  'giấy khai sinh',
  'tờ khai',
  'người yêu cầu',
  'quan hệ với người được khai sinh',
  'cha',
  'mẹ',
  'con',
  'vợ',
  'chồng',
  'kết hôn',
  'giấy chứng nhận kết hôn',
  'tình trạng hôn nhân',
  'xác nhận',
  'chứng thực',
  'bản sao',
  'bản chính',
  'trích lục',
  'hộ tịch',
  'cư trú',
  'thường trú',
  'tạm trú',
  'hộ khẩu',
  'quyền sử dụng đất',
  'thửa đất số',
  'tờ bản đồ số',
  'diện tích',
  'mét vuông',
  'mục đích sử dụng',
  'đất ở',
  'đất trồng lúa',
  'thời hạn sử dụng',
  'lâu dài',
  'nguồn gốc sử dụng',
  'nhà nước giao đất',
  'công nhận quyền',
  'chứng nhận',
  'giấy phép xây dựng',
  'công trình',
  'địa chỉ',
  'thôn',
  'tổ dân phố',
  'đường',
  'số nhà',
  'điện thoại',
  'tôi cam đoan',
  'những nội dung khai trên đây là đúng sự thật',
  'chịu trách nhiệm trước pháp luật',
  'làm tại',
  'người làm đơn',
  'ký',
  'ghi rõ họ tên',
  'trưởng phòng',
  'chủ tịch',
  'phó chủ tịch',
  'công chức tư pháp',
  'hộ tịch viên',
  'văn phòng đăng ký đất đai',
  'chi nhánh',
  'phòng tài nguyên và môi trường',
  'sở tư pháp',
  'hồ sơ gồm',
  'thành phần hồ sơ',
  'số lượng',
  'một bộ',
  'bản',
  'lệ phí',
  'miễn',
  'đồng',
  'biên lai',
  'thu tiền',
  'trả kết quả',
  'hẹn ngày',
  'tiếp nhận',
  'một cửa',
  'dịch vụ công',
  'trực tuyến',
  'bưu chính công ích',
  'người được ủy quyền',
  'giấy ủy quyền',
  'hợp đồng',
  'công chứng',
  'văn phòng công chứng',
  'chuyển nhượng',
  'tặng cho',
  'thế chấp',
  'xóa đăng ký',
  'đính chính',
  'cải chính',
  'bổ sung',
  'thay đổi',
  'hộ tịch',
  'quốc tịch',
  'con nuôi',
  'giám hộ',
  'nhận cha mẹ con',
  'khai tử',
  'giấy báo tử',
  'bệnh viện',
  'trạm y tế',
  'giấy chứng sinh',
  'trẻ em',
  'sinh ra tại',
  'cân nặng',
  'ki lô gam',
  'học sinh',
  'trường',
  'bằng tốt nghiệp',
  'trung học phổ thông',
  'kinh doanh',
  'hộ kinh doanh',
  'ngành nghề',
  'vốn kinh doanh',
  'mã số thuế',
  'cục thuế',
  'chi cục thuế',
  'bảo hiểm xã hội',
  'bảo hiểm y tế',
  'trợ cấp',
  'người có công',
  'thương binh',
  'liệt sĩ',
  'hộ nghèo',
  'cận nghèo',
];
/** Rare phrases (a handful of pages each). */
export const RARE_PHRASES = ['thừa kế quyền sử dụng đất', 'di chúc', 'phân chia di sản', 'khước từ nhận di sản'];
const HEADER = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc';

interface Word {
  text: string;
  folded: string;
}
const word = (text: string): Word => ({ text, folded: foldText(text) });

/** Builds the page text and its folded twin together: folding 1,000,000 pages one by one would take minutes. */
class TextMaker {
  private readonly phrases = PHRASES.map(word);
  private readonly rare = RARE_PHRASES.map(word);
  private readonly header = word(HEADER);
  // Zipf-like: phrase k is picked with weight 1/(k+1)^0.9, through a cumulative table.
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(private readonly pick: (n: number) => number) {
    let sum = 0;
    for (let k = 0; k < this.phrases.length; k++) {
      sum += 1 / (k + 1) ** 0.9;
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  private phrase(): Word {
    const target = (this.pick(1_000_000) / 1_000_000) * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] ?? 0) < target) lo = mid + 1;
      else hi = mid;
    }
    return this.phrases[lo] ?? this.header;
  }

  /** About `words` syllables of a form's text, with the owner's name and a date. */
  page(words: number, owner: Word, withHeader: boolean): { text: string; folded: string } {
    const text: string[] = [];
    const folded: string[] = [];
    const push = (w: Word) => {
      text.push(w.text);
      folded.push(w.folded);
    };
    let count = 0;
    if (withHeader) {
      push(this.header);
      count += 12;
    }
    while (count < words) {
      if (this.pick(40) === 0) push(owner);
      else if (this.pick(20_000) === 0) push(this.rare[this.pick(this.rare.length)] ?? this.header);
      else if (this.pick(25) === 0) {
        const date = `${1 + this.pick(28)}/${1 + this.pick(12)}/${1950 + this.pick(75)}`;
        push({ text: date, folded: date });
      } else push(this.phrase());
      count += 2;
    }
    return { text: text.join(' '), folded: folded.join(' ') };
  }
}

export interface ProvinceYear {
  dossiers: number;
  pages: number;
  /** A dossier's code, one of its citizen's ID numbers, and a rare name that occur in known pages. */
  sample: { dossierCode: string; citizenId: string; rareName: string };
}

/**
 * Generates the year. `pages` 0: dossiers only (the reports bench). Dossier i of n is received at
 * i/n of the year; codes are real-shaped (unit-YYMMDD-sequence).
 */
export function generateProvinceYear(
  db: Db,
  options: { dossiers: number; pages: number; wordsPerPage?: number; onProgress?: (done: number) => void },
): ProvinceYear {
  const pick = seeded(2025);
  const text = new TextMaker(pick);
  const wordsPerPage = options.wordsPerPage ?? 80;
  const versionId = activeCatalogVersionId(db);
  const procedures = (
    db.prepare('SELECT code FROM catalog_procedures WHERE version_id = ? ORDER BY code').all(versionId) as {
      code: string;
    }[]
  ).map((p) => p.code);
  const componentsOf = new Map(
    procedures.map((code) => [
      code,
      db
        .prepare(
          'SELECT code, name, doc_type, required FROM catalog_components WHERE version_id = ? AND procedure_code = ? ORDER BY position',
        )
        .all(versionId, code) as { code: string; name: string; doc_type: string; required: number }[],
    ]),
  );
  const insertDossier = db.prepare(
    `INSERT INTO dossiers (id, code, citizen_id, citizen_name, catalog_version_id, procedure_code, status, channel,
                           created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'received', ?, ?, ?)`,
  );
  const insertComponent = db.prepare(
    `INSERT INTO dossier_components (id, dossier_id, position, code, name, doc_type, required, state, digitized,
                                     reused, from_national_store, missing_reason, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertHistory = db.prepare(
    `INSERT INTO dossier_status_history (dossier_id, from_status, to_status, actor, at) VALUES (?, NULL, 'received', ?, ?)`,
  );
  const insertBlob = db.prepare(
    `INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, 1000, 'image/png', ?) ON CONFLICT DO NOTHING`,
  );
  const insertDocument = db.prepare(
    `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPage = db.prepare(
    `INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height, ocr_status, ocr_text, search_text)
     VALUES (?, ?, ?, ?, 1654, 2339, 'done', ?, ?)`,
  );
  // A bulk load, as a restore would do it: the full-text index is built once at the end (FTS5
  // 'rebuild' from pages.search_text) instead of page by page; the index is the same.
  const ftsTrigger = db
    .prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'pages_fts_insert'`)
    .pluck()
    .get() as string | undefined;
  if (options.pages > 0 && ftsTrigger) db.exec('DROP TRIGGER pages_fts_insert');
  const SHARED_IMAGE = 'f'.repeat(64);
  insertBlob.run(SHARED_IMAGE, '2025-01-01T00:00:00.000Z');

  const yearStart = Date.parse('2025-01-01T00:00:00+07:00');
  const yearMs = 365 * 86_400_000;
  const sequences = new Map<string, number>();
  const hex = (n: number, width = 32) => n.toString(16).padStart(width, '0');
  const sampleAt = Math.floor(options.dossiers * 0.61);
  let sample = { dossierCode: '', citizenId: '', rareName: '' };
  let pagesMade = 0;
  let documentNo = 0;
  const BATCH = 5_000;
  for (let from = 0; from < options.dossiers; from += BATCH) {
    db.transaction(() => {
      for (let i = from; i < Math.min(options.dossiers, from + BATCH); i++) {
        const id = `d${hex(i, 31)}`;
        const procedure = procedures[i % procedures.length] ?? '';
        const atMs = yearStart + Math.floor((i / options.dossiers) * yearMs);
        const at = new Date(atMs).toISOString();
        const unit = `000.00.${String(1 + (i % 20)).padStart(2, '0')}.H26`;
        const day = new Date(atMs + 7 * 3_600_000).toISOString().slice(2, 10).replaceAll('-', '');
        const seq = (sequences.get(`${unit}-${day}`) ?? 0) + 1;
        sequences.set(`${unit}-${day}`, seq);
        const code = `${unit}-${day}-${String(seq).padStart(4, '0')}`;
        const citizenId = `${ID_PROVINCES[pick(ID_PROVINCES.length)]}${pick(4)}${String(pick(100)).padStart(2, '0')}${String(pick(1_000_000)).padStart(6, '0')}`;
        const rare = pick(50_000) === 0 || i === sampleAt;
        const name = `${SURNAMES[pick(SURNAMES.length)]} ${MIDDLE[pick(MIDDLE.length)]} ${
          rare ? RARE_GIVEN[pick(RARE_GIVEN.length)] : GIVEN[pick(GIVEN.length)]
        }`;
        if (i === sampleAt) sample = { dossierCode: code, citizenId, rareName: name };
        insertDossier.run(id, code, citizenId, name, versionId, procedure, 1 + (i % 3), at, at);
        insertHistory.run(id, `canbo${i % 50}`, at);
        const components = componentsOf.get(procedure) ?? [];
        components.forEach((c, position) => {
          const roll = (i * 7 + position * 13) % 10;
          const state = roll < 5 ? 'digitized' : roll < 8 ? 'reused_component' : 'not_digitized';
          const reused = state === 'reused_component' ? 1 : 0;
          const missing = state === 'not_digitized' && c.required === 0 && roll === 9 ? 'Không nộp' : null;
          insertComponent.run(
            `${id}-${position}`,
            id,
            position,
            c.code,
            c.name,
            c.doc_type,
            c.required,
            state,
            state === 'not_digitized' ? 0 : 1,
            reused,
            reused && roll === 5 ? 1 : 0,
            missing,
            at,
          );
        });
        // Pages: this dossier's share of the total, in documents of up to 3 pages.
        const share =
          Math.floor(((i + 1) * options.pages) / options.dossiers) - Math.floor((i * options.pages) / options.dossiers);
        const owner = word(name);
        const meta = [code, citizenId, name, procedure].join(' · ');
        const metaFolded = foldText(meta);
        for (let made = 0; made < share;) {
          const count = Math.min(3, share - made);
          const documentId = `doc${hex(documentNo, 29)}`;
          const sha = hex(documentNo++, 64);
          insertBlob.run(sha, at);
          insertDocument.run(documentId, id, citizenId, `Giấy tờ ${made + 1}`, `scan-${made + 1}.pdf`, sha, count, at);
          for (let p = 1; p <= count; p++) {
            const page = text.page(wordsPerPage, owner, p === 1 && pick(5) !== 0);
            // As the app stores it (pages/search-text.ts): OCR text, then a metadata line; folded.
            insertPage.run(documentId, p, SHARED_IMAGE, SHARED_IMAGE, page.text, `${page.folded}\n${metaFolded}`);
            pagesMade++;
          }
          made += count;
        }
      }
    })();
    options.onProgress?.(Math.min(options.dossiers, from + BATCH));
  }
  if (options.pages > 0 && ftsTrigger) {
    db.exec(ftsTrigger);
    db.exec(`INSERT INTO pages_fts(pages_fts) VALUES ('rebuild')`);
  }
  return { dossiers: options.dossiers, pages: pagesMade, sample };
}
