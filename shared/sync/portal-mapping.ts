/**
 * Sync records → the national portal's field names (DOMAIN.md). This is the whole of an adapter's
 * data work: a provincial one-stop system that wants another spelling gets another mapping of the
 * same records. Field names beyond those DOMAIN.md lists are marked (verify) in records.ts.
 * Flags are 0/1, as the portal's integration documents show them (verify).
 */
import type { ComponentRecord, DocumentRecord, DossierRecord, DossierStatusRecord } from './records';

export interface PortalFile {
  TenTepDinhKem: string;
  MaHash: string;
  KichThuoc: number;
  DinhDang: string;
}

export interface PortalComponent {
  MaThanhPhan: string;
  TenThanhPhan: string;
  DuocSoHoa: 0 | 1;
  DuocTaiSuDung: 0 | 1;
  DuocLayTuKhoDMQG: 0 | 1;
  MaKetQuaThayThe: string | null;
  TepDinhKem: PortalFile[];
}

export interface PortalResult {
  MaKetQua: string;
  TenKetQua: string;
  DuocSoHoa: 0 | 1;
  TepDinhKem: PortalFile[];
}

export interface PortalStatus {
  TrangThaiHoSo: string;
  ThoiGian: string;
  NguoiXuLy: string | null;
}

export interface PortalDossier {
  MaHoSo: string;
  MaTTHC: string;
  KenhThucHien: 1 | 2 | 3;
  ChuHoSo: { SoDinhDanh: string | null; HoTen: string };
  TrangThaiHoSo: string;
  NgayTiepNhan: string;
  NgayHenTra: string | null;
  ThanhPhanHoSo: PortalComponent[];
  KetQua: PortalResult[];
  /** Every status change, oldest first. */
  QuaTrinhXuLy: PortalStatus[];
}

const flag = (value: boolean): 0 | 1 => (value ? 1 : 0);

function filesOf(documentIds: readonly string[], documents: ReadonlyMap<string, DocumentRecord>): PortalFile[] {
  return documentIds.flatMap((id) => {
    const doc = documents.get(id);
    return doc
      ? [
          {
            TenTepDinhKem: doc.source.name,
            MaHash: doc.source.sha256,
            KichThuoc: doc.source.size,
            DinhDang: doc.source.mime,
          },
        ]
      : [];
  });
}

function component(record: ComponentRecord, documents: ReadonlyMap<string, DocumentRecord>): PortalComponent {
  return {
    MaThanhPhan: record.code,
    TenThanhPhan: record.name,
    DuocSoHoa: flag(record.digitized),
    DuocTaiSuDung: flag(record.reused),
    DuocLayTuKhoDMQG: flag(record.fromNationalStore),
    MaKetQuaThayThe: record.replacedByResult,
    TepDinhKem: filesOf(record.documentIds, documents),
  };
}

/**
 * The portal's view of one dossier: its latest record, all its status records (any order; they are
 * sorted by time) and the documents its components and results refer to.
 */
export function toPortalDossier(
  dossier: DossierRecord,
  statuses: readonly DossierStatusRecord[],
  documents: readonly DocumentRecord[],
): PortalDossier {
  const byId = new Map(documents.map((doc) => [doc.documentId, doc] as const));
  const history = [...statuses].sort((a, b) => a.at.localeCompare(b.at));
  const latest = history.at(-1);
  return {
    MaHoSo: dossier.code,
    MaTTHC: dossier.procedureCode,
    KenhThucHien: dossier.channel,
    ChuHoSo: { SoDinhDanh: dossier.owner.citizenId, HoTen: dossier.owner.name },
    TrangThaiHoSo: latest && latest.at >= dossier.receivedAt ? latest.status : dossier.status,
    NgayTiepNhan: dossier.receivedAt,
    NgayHenTra: dossier.dueOn,
    ThanhPhanHoSo: dossier.components.map((c) => component(c, byId)),
    KetQua: dossier.results.map((r) => ({
      MaKetQua: r.code,
      TenKetQua: r.name,
      DuocSoHoa: flag(r.digitized),
      TepDinhKem: filesOf(r.documentIds, byId),
    })),
    QuaTrinhXuLy: history.map((s) => ({ TrangThaiHoSo: s.status, ThoiGian: s.at, NguoiXuLy: s.by })),
  };
}

/**
 * Whether the dossier counts as reusing data on the scorecard (indicator 4.3): at least one
 * component reused, taken from the national store, or replaced by an existing result.
 */
export function countsAsReuse(dossier: PortalDossier): boolean {
  return dossier.ThanhPhanHoSo.some(
    (c) => c.DuocTaiSuDung === 1 || c.DuocLayTuKhoDMQG === 1 || c.MaKetQuaThayThe !== null,
  );
}
