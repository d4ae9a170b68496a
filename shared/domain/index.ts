/**
 * The pure domain layer: identifiers, codes, search folding and tag proposals. No I/O, no Node or
 * Electron APIs, so it runs in the main process, the renderer and the sync server alike.
 */
export { PROVINCES, provinceByPrefix, type Province } from './provinces';
export {
  foldText,
  foldWithMap,
  originalSpan,
  searchTokens,
  ftsMatchExpression,
  MAX_SEARCH_TOKENS,
  type FoldResult,
} from './fold';
export {
  parseCitizenId,
  isCitizenId,
  describeCitizenId,
  formatCitizenId,
  maskCitizenId,
  isOldCmnd,
  type CitizenIdInfo,
  type CitizenIdRefusal,
  type CitizenIdRefusalReason,
  type CitizenIdResult,
  type ParseCitizenIdOptions,
  type Sex,
} from './citizen-id';
export {
  isProcedureCode,
  PROCEDURE_CODE_PATTERN,
  scanProcedureCodes,
  isAgencyCode,
  parseDossierCode,
  formatDossierCode,
  DOSSIER_CODE_PATTERN,
  scanDossierCodes,
  type DossierCode,
} from './codes';
export { extractTags, findCitizenIds, type ProposedTags, type ExtractTagsOptions, type CitizenIdMatch } from './tags';
export {
  parseCccdQr,
  CCCD_QR_MIN_FIELDS,
  type CccdQrData,
  type CccdQrRefusal,
  type CccdQrResult,
  type ParseCccdQrOptions,
} from './cccd-qr';
export { isCalendarDate, parseDdMmYyyy } from './calendar';
