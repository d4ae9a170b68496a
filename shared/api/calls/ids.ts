import { z } from 'zod';

export const DossierId = z.string().min(1).max(64);
/** An upload's opaque token (see files/uploads in the backend). */
export const UploadToken = z.string().regex(/^[a-f0-9]{32}$/);
