import type { ExportFile } from '../../../shared/api/calls/exports';
import { parseDossierCode } from '../../../shared/domain/codes';
import { vietnamIsoDate } from '../../../shared/domain/working-days';
import { getChecklist } from '../checklist/checklist-service';
import { readUnitSettings } from '../config/unit-settings';
import type { Db } from '../db/database';
import { getDossier } from '../dossiers/dossier-service';
import type { PdfExports } from '../pdf/pdf-exports';
import { renderReceiptPdf, type ReceiptData } from './receipt-pdf';

export interface ReceiptRequest {
  dossierId: string;
  submitter?: string | undefined;
  phone?: string | undefined;
  address?: string | undefined;
}

const blankToNull = (text: string | undefined): string | null => (text && text.trim() ? text.trim() : null);

/** Everything Mẫu 01 prints, read from the dossier, its checklist, its procedure and the unit's settings. */
export function receiptData(db: Db, request: ReceiptRequest, officerName: string): ReceiptData {
  const dossier = getDossier(db, request.dossierId);
  const unit = readUnitSettings(db);
  const checklist = getChecklist(db, dossier.id);
  const procedure = db
    .prepare('SELECT processing_days FROM catalog_procedures WHERE version_id = ? AND code = ?')
    .get(dossier.catalogVersionId, dossier.procedureCode) as { processing_days: number | null } | undefined;
  const receivedAt = new Date(dossier.createdAt);
  // The register book is the reception day and the number the code's sequence: both unique per
  // workstation block without a connection, like the code itself.
  const parsed = parseDossierCode(dossier.code);
  const registerBook = vietnamIsoDate(receivedAt).slice(2).replaceAll('-', '');
  const unitName = unit.unitName.trim();
  return {
    unitName,
    dossierCode: dossier.code,
    registerBook,
    registerNo: parsed ? String(parsed.sequence).padStart(4, '0') : dossier.code.slice(-4),
    ownerName: dossier.citizenName,
    submitterName: blankToNull(request.submitter) ?? dossier.citizenName,
    address: blankToNull(request.address),
    phone: blankToNull(request.phone),
    idNumber: dossier.citizenId,
    procedureName: dossier.procedureName || dossier.procedureCode,
    procedureCode: dossier.procedureCode,
    components: checklist.components.map((c) => ({
      name: c.name,
      originals: c.originals,
      copies: c.copies,
      missing: c.missingReason !== null,
    })),
    sets: 1,
    processingDays: procedure?.processing_days ?? null,
    receivedAt,
    promisedReturnDate: dossier.promisedReturnDate,
    collectAt: unitName ? `Bộ phận Tiếp nhận và Trả kết quả, ${unitName}` : 'Bộ phận Tiếp nhận và Trả kết quả',
    officerName,
  };
}

/** Renders the receipt and hands back a short-lived download link (printing and reprinting alike). */
export async function issueReceipt(
  deps: { db: Db; exports: PdfExports },
  request: ReceiptRequest,
  officerName: string,
): Promise<ExportFile> {
  const data = receiptData(deps.db, request, officerName);
  const { bytes, pageCount } = await renderReceiptPdf(data);
  const fileName = `giay-tiep-nhan-${data.dossierCode.replace(/[^A-Za-z0-9.-]+/g, '-')}.pdf`;
  return deps.exports.offerPdf(fileName, bytes, pageCount);
}
