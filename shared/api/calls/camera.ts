/** Document camera: photos of sheets imported as pages, each flattened when its corners are found. */
import { z } from 'zod';
import { DossierId, UploadToken } from './ids';
import { ImportOutcome } from './pages';

export const CameraPoint = z.object({ x: z.number(), y: z.number() });
export type CameraPoint = z.infer<typeof CameraPoint>;

/** Why a photo was kept whole: no sheet, too small, not four straight sides, cut off, or no desk around it. */
export const FlattenMiss = z.enum(['noPage', 'tooSmall', 'notQuadrilateral', 'cutOff', 'fillsFrame']);
export type FlattenMiss = z.infer<typeof FlattenMiss>;

export const FlattenReport = z.object({
  /** The sheet's corners in the photo (top-left, top-right, bottom-right, bottom-left), or null. */
  corners: z.array(CameraPoint).length(4).nullable(),
  miss: FlattenMiss.nullable(),
  frame: z.object({ width: z.number().int(), height: z.number().int() }),
  /** Size of the flattened sheet (or of the whole frame), before cleanup turns or crops it. */
  page: z.object({ width: z.number().int(), height: z.number().int() }),
});
export type FlattenReport = z.infer<typeof FlattenReport>;

export const CameraCapture = z.object({
  outcome: ImportOutcome,
  /** Null when the photo could not be read at all (the outcome says why). */
  flatten: FlattenReport.nullable(),
});
export type CameraCapture = z.infer<typeof CameraCapture>;

export const cameraCalls = {
  /**
   * Imports camera photos (uploaded like files) into a dossier: each sheet is flattened, then
   * cleaned like a scan. With `documentId` the pages are appended to that document; without, the
   * first photo makes a new document and the others join it.
   */
  'camera.import': {
    input: z.object({
      dossierId: DossierId,
      uploads: z.array(UploadToken).min(1).max(50),
      documentId: z.string().min(1).max(64).nullable(),
    }),
    output: z.array(CameraCapture),
  },
};
