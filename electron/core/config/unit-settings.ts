import type { UnitSettings } from '../../../shared/api/contract';
import type { ProcessorSettings } from '../../../shared/api/calls/privacy';
import { AppFailure } from '../../../shared/api/errors';
import { isAgencyCode } from '../../../shared/domain/codes';
import type { Db } from '../db/database';
import { getSetting, setSetting } from './settings';

/** Until an admin configures the unit, codes use this placeholder agency identifier. */
export const DEFAULT_AGENCY = '000.00.00.H00';

/** The unit this workstation belongs to and its number there (which block of dossier numbers it uses). */
export function readUnitSettings(db: Db): UnitSettings {
  const agencyCode = getSetting(db, 'unit.agencyCode');
  const workstationNo = Number(getSetting(db, 'unit.workstationNo') ?? '0');
  return {
    agencyCode: agencyCode ?? DEFAULT_AGENCY,
    unitName: getSetting(db, 'unit.name') ?? '',
    workstationNo: Number.isInteger(workstationNo) && workstationNo >= 0 && workstationNo <= 9 ? workstationNo : 0,
    configured: agencyCode !== null,
  };
}

export function updateUnitSettings(
  db: Db,
  patch: { agencyCode?: string | undefined; unitName?: string | undefined; workstationNo?: number | undefined },
): UnitSettings {
  if (patch.agencyCode !== undefined && !isAgencyCode(patch.agencyCode)) {
    throw new AppFailure(
      'VALIDATION',
      'Mã cơ quan tiếp nhận phải có dạng 000.00.00.H00 (ví dụ 000.00.01.H26).',
      'The receiving agency code must look like 000.00.00.H00 (e.g. 000.00.01.H26).',
      'agencyCode',
    );
  }
  if (
    patch.workstationNo !== undefined &&
    !(Number.isInteger(patch.workstationNo) && patch.workstationNo >= 0 && patch.workstationNo <= 9)
  ) {
    throw new AppFailure(
      'VALIDATION',
      'Số máy trạm phải là một chữ số từ 0 đến 9, khác nhau giữa các máy của cùng đơn vị.',
      'The workstation number must be one digit, 0 to 9, different on each workstation of the unit.',
      'workstationNo',
    );
  }
  db.transaction(() => {
    if (patch.agencyCode !== undefined) setSetting(db, 'unit.agencyCode', patch.agencyCode);
    if (patch.unitName !== undefined) setSetting(db, 'unit.name', patch.unitName);
    if (patch.workstationNo !== undefined) setSetting(db, 'unit.workstationNo', String(patch.workstationNo));
  })();
  return readUnitSettings(db);
}

/**
 * Postal processor mode: the unit works under a data-processing contract (its reference is shown
 * on every purge), and after the central store confirms a dossier its local copies are purged.
 */
export function readProcessorSettings(db: Db): ProcessorSettings {
  return {
    processorMode: getSetting(db, 'processor.mode') === '1',
    contractRef: getSetting(db, 'processor.contractRef') ?? '',
  };
}

export function updateProcessorSettings(db: Db, next: ProcessorSettings): ProcessorSettings {
  const contractRef = next.contractRef.trim();
  if (next.processorMode && contractRef === '') {
    throw new AppFailure(
      'VALIDATION',
      'Hãy nhập số hợp đồng xử lý dữ liệu trước khi bật chế độ bên xử lý (bưu điện).',
      'Enter the data-processing contract reference before turning processor mode on.',
      'contractRef',
    );
  }
  db.transaction(() => {
    setSetting(db, 'processor.mode', next.processorMode ? '1' : '0');
    setSetting(db, 'processor.contractRef', contractRef);
  })();
  return readProcessorSettings(db);
}
