import type { CallName } from '../../../shared/api/contract';
import type { Db } from '../db/database';
import type { CallContext } from '../dispatch';
import { log } from '../log';
import { recordProcessing, type ProcessingAction } from './processing-log';

export type Subject = { kind: 'page' | 'document' | 'dossier' | 'citizen'; id: string };

/** Calls that process a citizen's personal data, and what the processing log records for each. */
const AUDITED: Partial<Record<CallName, { action: ProcessingAction; subject: (input: never) => Subject }>> = {
  'pages.get': { action: 'view', subject: (input: { id: number }) => ({ kind: 'page', id: String(input.id) }) },
  'idCards.readFields': {
    action: 'view',
    subject: (input: { pageId: number }) => ({ kind: 'page', id: String(input.pageId) }),
  },
  'dossiers.get': { action: 'view', subject: (input: { id: string }) => ({ kind: 'dossier', id: input.id }) },
  'reuse.lookup': {
    action: 'view',
    subject: (input: { citizenId: string }) => ({ kind: 'citizen', id: input.citizenId }),
  },
  'exports.documentPdf': {
    action: 'export',
    subject: (input: { documentId: string }) => ({ kind: 'document', id: input.documentId }),
  },
  'exports.dossierPdf': {
    action: 'export',
    subject: (input: { dossierId: string }) => ({ kind: 'dossier', id: input.dossierId }),
  },
  'exports.dossierZip': {
    action: 'export',
    subject: (input: { dossierId: string }) => ({ kind: 'dossier', id: input.dossierId }),
  },
  'receipts.pdf': {
    action: 'print',
    subject: (input: { dossierId: string }) => ({ kind: 'dossier', id: input.dossierId }),
  },
  'pages.ocrReview': {
    action: 'view',
    subject: (input: { pageId: number }) => ({ kind: 'page', id: String(input.pageId) }),
  },
  'pages.delete': {
    action: 'delete',
    subject: (input: { pageId: number }) => ({ kind: 'page', id: String(input.pageId) }),
  },
  'pages.correctWord': {
    action: 'update',
    subject: (input: { pageId: number }) => ({ kind: 'page', id: String(input.pageId) }),
  },
  'checklist.reuse': {
    action: 'reuse',
    subject: (input: { documentId: number | string }) => ({ kind: 'document', id: String(input.documentId) }),
  },
};

/** Whose data a subject is: the citizen's ID number, looked up from the subject's rows. */
function citizenOf(db: Db, subject: Subject): string | null {
  const row = (sql: string): string | null =>
    (db.prepare(sql).get(subject.id) as { citizen: string | null } | undefined)?.citizen ?? null;
  switch (subject.kind) {
    case 'citizen':
      return subject.id.replace(/\D/g, '') || null;
    case 'dossier':
      return row('SELECT citizen_id AS citizen FROM dossiers WHERE id = ?');
    case 'document':
      return row(`SELECT coalesce(d.citizen_id, doc.citizen_id) AS citizen FROM documents doc
                  LEFT JOIN dossiers d ON d.id = doc.dossier_id WHERE doc.id = ?`);
    case 'page':
      return row(`SELECT coalesce(d.citizen_id, doc.citizen_id) AS citizen FROM pages pg
                  JOIN documents doc ON doc.id = pg.document_id LEFT JOIN dossiers d ON d.id = doc.dossier_id
                  WHERE pg.id = ?`);
  }
}

/**
 * Appends one entry about a subject, whose citizen is looked up from its rows: for work done
 * outside dispatch (the CLI's export) that must be logged like the calls.
 */
export function recordSubjectProcessing(
  db: Db,
  user: { id: string | null; username: string },
  action: ProcessingAction,
  subject: Subject,
): void {
  db.transaction(() =>
    recordProcessing(db, {
      userId: user.id,
      username: user.username,
      action,
      subject: `${subject.kind}:${subject.id}`,
      citizenId: citizenOf(db, subject),
    }),
  ).immediate();
}

/** dispatch's after-call hook: appends to the hash-chained processing log. */
export function auditAfterCall(db: Db) {
  return (name: CallName, input: unknown, ctx: CallContext): void => {
    const audited = AUDITED[name];
    if (!audited || !ctx.user) return;
    try {
      recordSubjectProcessing(db, ctx.user, audited.action, audited.subject(input as never));
    } catch (error) {
      log.error('audit', `could not record ${name}`, error);
    }
  };
}
