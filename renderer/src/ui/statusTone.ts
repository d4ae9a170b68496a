import type { DossierStatus, OcrStatus, TagStatus } from '../../../shared/api/contract';
import type { BadgeTone } from './Badge';

export const OCR_TONE: Record<OcrStatus, BadgeTone> = {
  queued: 'neutral',
  running: 'progress',
  done: 'success',
  failed: 'danger',
  cancelled: 'neutral',
};

export const DOSSIER_TONE: Record<DossierStatus, BadgeTone> = {
  received: 'info',
  digitizing: 'progress',
  digitized: 'success',
  result_recorded: 'success',
  returned: 'neutral',
};

export const TAG_TONE: Record<TagStatus, BadgeTone> = {
  proposed: 'warning',
  confirmed: 'success',
  rejected: 'neutral',
};
