/** Full-text search and the reuse lookup. */
import { z } from 'zod';

export const SearchHit = z.object({
  pageId: z.number().int(),
  documentId: z.string(),
  dossierId: z.string().nullable(),
  pageNo: z.number().int(),
  citizenId: z.string().nullable(),
  /** Original text around the match; highlights are [start, end) offsets into it. */
  snippet: z.string(),
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const ReusableDocument = z.object({
  documentId: z.string(),
  title: z.string(),
  dossierId: z.string().nullable(),
  dossierCode: z.string().nullable(),
  procedureCode: z.string().nullable(),
  pageCount: z.number().int(),
  firstPageId: z.number().int().nullable(),
  createdAt: z.string(),
  /** The document type (a component's, confirmed by the clerk); null while unknown. */
  docType: z.string().nullable(),
  /** Last valid day; null: no expiry recorded. Expired documents are not listed. */
  validUntil: z.string().nullable(),
});
export type ReusableDocument = z.infer<typeof ReusableDocument>;

export const searchCalls = {
  'search.query': {
    input: z.object({ q: z.string().max(500), limit: z.number().int().min(1).max(200).default(20) }),
    output: z.array(SearchHit),
  },
  'reuse.lookup': {
    input: z.object({ citizenId: z.string().max(64) }),
    output: z.array(ReusableDocument),
  },
} as const;
