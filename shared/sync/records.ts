/**
 * What a counter sends to the central store, shaped after the national portal's dossier data
 * (DOMAIN.md): each field's comment names the portal field it mirrors, so an adapter to a
 * provincial one-stop system is a mapping (see portal-mapping.ts), not a redesign. Fields marked
 * (verify) follow secondary sources.
 *
 * Extension points: every record has `extra` (fields a newer counter adds before the protocol
 * names them), and the server keeps records of kinds it does not know as sent, so new outbox
 * entities reach the central store without a server release.
 */
import { z } from 'zod';
import { Sha256 } from './protocol';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const CitizenId = z.string().regex(/^\d{12}$/);
const Text = (max: number) => z.string().max(max);
const Extra = z.record(z.string(), z.unknown()).default({});

/** A stored file: the server holds it under its hash. */
export const FileRef = z.object({
  sha256: Sha256,
  size: z.number().int().min(0),
  mime: Text(100),
});
export type FileRef = z.infer<typeof FileRef>;

export const PageRecord = z.object({
  pageNo: z.number().int().min(1),
  width: z.number().int().min(0),
  height: z.number().int().min(0),
  /** The archival page image, as scanned. */
  image: FileRef,
  thumb: FileRef,
});

/** Submission channel (KenhThucHien): 1 direct, 2 online, 3 postal. */
export const Channel = z.union([z.literal(1), z.literal(2), z.literal(3)]);

/** The dossier's owner (chủ hồ sơ). */
export const Owner = z.object({
  /** SoDinhDanh: the 12-digit personal ID number, null when unknown (an inbox document). */
  citizenId: CitizenId.nullable(),
  /** HoTen (may be empty: the name is optional at the counter). */
  name: Text(200),
});

/** A digitized document: a dossier component's scan or a result (giấy tờ số hóa). */
export const DocumentRecord = z.object({
  documentId: Text(128),
  /** Mã giấy tờ số hóa, `{ID}.{procedure}.{type}.{NN}` (verify); null until the workflow assigns it. */
  digitizedCode: Text(200).nullable().default(null),
  /** Thành phần hồ sơ, or kết quả (a result), or not yet placed. */
  kind: z.enum(['component', 'result', 'unfiled']),
  dossierId: Text(128).nullable(),
  /** MaHoSo of the dossier it was received in. */
  dossierCode: Text(64).nullable(),
  /** MaTTHC. */
  procedureCode: Text(32).nullable(),
  /** MaThanhPhan: the procedure component it fills. */
  componentCode: Text(64).nullable().default(null),
  /** TenThanhPhan. */
  componentName: Text(500).nullable().default(null),
  /** MaKetQua when it is a dossier's result: reusing it replaces a component (MaKetQuaThayThe). */
  resultCode: Text(200).nullable().default(null),
  /** MaLoaiGiayTo: document type code. */
  docType: Text(64).nullable().default(null),
  owner: Owner,
  /** TenGiayTo. */
  title: Text(500),
  /** SoKyHieu: number/symbol. */
  number: Text(100).nullable().default(null),
  /** CoQuanBanHanh: issuing agency. */
  issuer: Text(300).nullable().default(null),
  /** NguoiKy: signer. */
  signer: Text(200).nullable().default(null),
  /** NgayBanHanh. */
  issuedOn: IsoDate.nullable().default(null),
  /** ThoiHanHieuLuc: a date, or null with `permanent` true (verify). */
  validUntil: IsoDate.nullable().default(null),
  permanent: z.boolean().default(false),
  pageCount: z.number().int().min(0),
  /** When and by whom it was digitized; the unit is the sending device's, set by the server. */
  digitizedAt: z.iso.datetime({ offset: true }),
  digitizedBy: Text(200).nullable().default(null),
  /** Supervisor's approval (trạng thái duyệt); null before the workflow records one. */
  approval: z.enum(['pending', 'approved', 'rejected']).nullable().default(null),
  source: FileRef.extend({ name: Text(300) }),
  pages: z.array(PageRecord).max(5000),
  extra: Extra,
});
export type DocumentRecord = z.infer<typeof DocumentRecord>;
export type DocumentRecordInput = z.input<typeof DocumentRecord>;

/** Digitization state of a component (DOMAIN.md). */
export const ComponentState = z.enum(['not_digitized', 'digitized', 'reused_component', 'reused_result']);

/** One component of a dossier (thành phần hồ sơ) with the portal's reuse flags. */
export const ComponentRecord = z.object({
  /** MaThanhPhan. */
  code: Text(64),
  /** TenThanhPhan. */
  name: Text(500),
  state: ComponentState,
  /** DuocSoHoa. */
  digitized: z.boolean(),
  /** DuocTaiSuDung. */
  reused: z.boolean(),
  /** DuocLayTuKhoDMQG: taken from the citizen's national data store. */
  fromNationalStore: z.boolean(),
  /** MaKetQuaThayThe: code of the existing result that replaced it. */
  replacedByResult: Text(200).nullable(),
  /** The documents holding its pages (TepDinhKem). */
  documentIds: z.array(Text(128)).max(500),
});
export type ComponentRecord = z.infer<typeof ComponentRecord>;

/** A result of the procedure (kết quả giải quyết). */
export const ResultRecord = z.object({
  /** MaKetQua, e.g. `KQ.G15.000031` (verify). */
  code: Text(200),
  name: Text(500),
  /** Whether the result is digitized (indicator 4.1/4.2 count it when it is on paper). */
  digitized: z.boolean(),
  documentIds: z.array(Text(128)).max(500),
  extra: Extra,
});

/** A dossier as the portal knows it; sent when it is created and when its contents change. */
export const DossierRecord = z.object({
  dossierId: Text(128),
  /** MaHoSo, `AGENCY-YYMMDD-XXXX`. */
  code: Text(64),
  /** MaTTHC. */
  procedureCode: Text(32),
  /** KenhThucHien. */
  channel: Channel,
  owner: Owner,
  /** TrangThaiHoSo at the time of sending; every change also comes as its own status record. */
  status: Text(40),
  /** NgayTiepNhan. */
  receivedAt: z.iso.datetime({ offset: true }),
  /** NgayHenTra: promised return date, when the workflow computes it. */
  dueOn: IsoDate.nullable().default(null),
  /** ThanhPhanHoSo. */
  components: z.array(ComponentRecord).max(500),
  /** KetQua. */
  results: z.array(ResultRecord).max(100),
  extra: Extra,
});
export type DossierRecord = z.infer<typeof DossierRecord>;
export type DossierRecordInput = z.input<typeof DossierRecord>;

/** One status change of a dossier: the national target is that every one reaches the portal. */
export const DossierStatusRecord = z.object({
  dossierId: Text(128),
  code: Text(64),
  status: Text(40),
  at: z.iso.datetime({ offset: true }),
  /** Who made the change (an account id), when accounts exist. */
  by: Text(200).nullable().default(null),
  extra: Extra,
});
export type DossierStatusRecord = z.infer<typeof DossierStatusRecord>;
export type DossierStatusRecordInput = z.input<typeof DossierStatusRecord>;

/** The kinds the server understands (validates and projects); `entity.op`. */
export const RECORD_SCHEMAS = {
  'dossier.create': DossierRecord,
  'dossier.update': DossierRecord,
  'dossier.status': DossierStatusRecord,
  'document.create': DocumentRecord,
  'document.update': DocumentRecord,
} as const;
export type KnownKind = keyof typeof RECORD_SCHEMAS;

export function isKnownKind(kind: string): kind is KnownKind {
  return Object.prototype.hasOwnProperty.call(RECORD_SCHEMAS, kind);
}

/** Every file a document record refers to (source, page images, thumbnails), de-duplicated. */
export function documentFiles(record: DocumentRecord): string[] {
  const out = new Set<string>([record.source.sha256]);
  for (const page of record.pages) {
    out.add(page.image.sha256);
    out.add(page.thumb.sha256);
  }
  return [...out];
}
