/**
 * What page analysis finds after OCR: chip ID card QR codes (applied to a dossier's citizen) and
 * document types (suggested from the text, confirmed or corrected by the clerk, learned from).
 * Imported by pages.ts (a page shows both): this file must not import pages.ts or dossiers.ts.
 */
import { z } from 'zod';
import { DossierId } from './ids';

export const IdCardSex = z.enum(['male', 'female']);

/** A CCCD QR code read from a page, parsed. Personal data: shown to the clerk, never logged. */
export const IdCardQr = z.object({
  id: z.string(),
  oldId: z.string().nullable(),
  name: z.string(),
  /** YYYY-MM-DD */
  dob: z.string(),
  sex: IdCardSex,
  /** Permanent address as on the card. */
  address: z.string(),
  /** YYYY-MM-DD */
  issued: z.string(),
  /** Doubts for the clerk (e.g. the ID's birth year differs from the date of birth), Vietnamese. */
  warnings: z.array(z.string()),
  warningsEn: z.array(z.string()),
});
export type IdCardQr = z.infer<typeof IdCardQr>;

/** The type of a page's document: suggested, and the clerk's confirmed choice. */
export const DocumentTypeState = z.object({
  documentId: z.string(),
  /** From the text of all the document's pages; null when nothing fits well enough. */
  suggested: z.string().nullable(),
  /** The confirmed type (set here, or by assigning the document to a checklist component). */
  confirmed: z.string().nullable(),
});
export type DocumentTypeState = z.infer<typeof DocumentTypeState>;

export const DocumentTypeInfo = z.object({
  code: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
});
export type DocumentTypeInfo = z.infer<typeof DocumentTypeInfo>;

/** What a clerk applied to a citizen from an ID card QR code. */
export const CitizenCard = z.object({
  citizenId: z.string(),
  oldId: z.string().nullable(),
  name: z.string(),
  dob: z.string(),
  sex: IdCardSex,
  address: z.string(),
  issued: z.string(),
});
export type CitizenCard = z.infer<typeof CitizenCard>;

export const IdCardFieldName = z.enum(['id', 'name', 'dob', 'sex']);
export type IdCardFieldName = z.infer<typeof IdCardFieldName>;

/**
 * The fields printed on an ID card's front, read by OCR line by line. Personal data: shown to the
 * clerk, never logged. A value OCR could not read is null.
 */
export const IdCardPrintedFields = z.object({
  /** False: the page is no ID card front, nor carries one copied onto it, so nothing was read. */
  recognised: z.boolean(),
  id: z.string().nullable(),
  name: z.string().nullable(),
  /** YYYY-MM-DD */
  dob: z.string().nullable(),
  sex: IdCardSex.nullable(),
  /** Lowest word confidence over the fields read (0-100); null when nothing was read. */
  confidence: z.number().nullable(),
  /** A QR code was read on the page: the printed fields were checked against it. */
  qrPresent: z.boolean(),
  /** Fields whose printed value differs from the QR code's: the clerk decides, nothing is chosen. */
  mismatches: z.array(IdCardFieldName),
});
export type IdCardPrintedFields = z.infer<typeof IdCardPrintedFields>;

export const pageAnalysisCalls = {
  'documentTypes.list': {
    input: z.object({}).default({}),
    output: z.array(DocumentTypeInfo),
  },
  /** Confirms or corrects a document's type (`null` clears it); the suggestion learns from it. */
  'documents.setType': {
    input: z.object({ documentId: z.string().min(1).max(64), code: z.string().trim().min(1).max(64).nullable() }),
    output: DocumentTypeState,
  },
  /** Fills the dossier's citizen from an ID card QR code found on one of its pages. */
  'dossiers.applyIdCard': {
    input: z.object({
      dossierId: DossierId,
      pageId: z.number().int(),
      /** Which card on the page (a photocopy may carry two), top to bottom. */
      index: z.number().int().min(0).max(15).default(0),
      /** The card's ID number differs from the dossier's: replace the dossier's (the clerk checked the card). */
      replaceCitizenId: z.boolean().default(false),
    }),
    output: z.object({
      dossierId: z.string(),
      /** The dossier's citizen now (the card's ID number and name). */
      citizenId: z.string(),
      citizenName: z.string(),
      card: CitizenCard,
      warnings: z.array(z.string()),
      warningsEn: z.array(z.string()),
    }),
  },
  /**
   * Reads the printed fields of a page recognised as an ID card front (on demand: a few single-line
   * OCR reads), and checks them against the card's QR code when one was read.
   */
  'idCards.readFields': {
    input: z.object({ pageId: z.number().int() }),
    output: IdCardPrintedFields,
  },
} as const;
