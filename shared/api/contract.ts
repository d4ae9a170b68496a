/**
 * The contract: every call the renderer, the CLI and tests can make, with zod schemas for input
 * and output. Each domain declares its calls in `calls/<domain>.ts`; this file joins them into the
 * one table that the backend's dispatch, the Electron IPC bridge, the browser-mode HTTP host and
 * the renderer's client are all typed from.
 */
import type { z } from 'zod';
import type { OcrStatus } from './calls/pages';
import { appCalls } from './calls/app';
import { authCalls } from './calls/auth';
import { batchSplitCalls } from './calls/batch-split';
import { cameraCalls } from './calls/camera';
import { captureCalls } from './calls/capture';
import { dossierCalls } from './calls/dossiers';
import { exportCalls } from './calls/exports';
import { ocrCalls } from './calls/ocr';
import { pageAnalysisCalls } from './calls/page-analysis';
import { pageCalls } from './calls/pages';
import { pageEditingCalls } from './calls/page-editing';
import { privacyCalls } from './calls/privacy';
import { receiptCalls } from './calls/receipts';
import { reportCalls } from './calls/reports';
import { searchCalls } from './calls/search';
import { syncCalls } from './calls/sync';
import { vaultCalls } from './calls/vault';
import { workflowCalls } from './calls/workflow';

export * from './calls/app';
export * from './calls/auth';
export * from './calls/batch-split';
export * from './calls/camera';
export * from './calls/capture';
export * from './calls/dossiers';
export * from './calls/exports';
export * from './calls/ocr';
export * from './calls/page-analysis';
export * from './calls/pages';
export * from './calls/page-editing';
export * from './calls/privacy';
export * from './calls/receipts';
export * from './calls/reports';
export * from './calls/search';
export * from './calls/sync';
export * from './calls/vault';
export * from './calls/workflow';

/** Every call: `domain.verb` → { input, output }. */
export const contract = {
  ...appCalls,
  ...authCalls,
  ...batchSplitCalls,
  ...cameraCalls,
  ...captureCalls,
  ...dossierCalls,
  ...exportCalls,
  ...ocrCalls,
  ...pageCalls,
  ...pageEditingCalls,
  ...pageAnalysisCalls,
  ...privacyCalls,
  ...receiptCalls,
  ...reportCalls,
  ...searchCalls,
  ...syncCalls,
  ...vaultCalls,
  ...workflowCalls,
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<N extends CallName> = z.input<Contract[N]['input']>;
export type ParsedInput<N extends CallName> = z.output<Contract[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Contract[N]['output']>;

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Events the backend pushes to every connected window. */
export interface EventMap {
  'ocr.progress': {
    pageId: number;
    documentId: string;
    dossierId: string | null;
    status: OcrStatus;
    /** 0..1 while running. */
    progress: number;
  };
  'dossier.changed': { dossierId: string | null; documentId: string };
  /**
   * Which pages need checking may have changed: a word on page `pageId` was corrected or confirmed
   * (its text and confidence changed), or, with `pageId` null, the review threshold was changed.
   */
  'ocr.reviewed': { pageId: number | null };
  /** A dossier's checklist, approvals or lifecycle changed. */
  'workflow.changed': { dossierId: string };
  /** A scanned stack was staged for splitting, or its split changed or was decided. */
  'batch.changed': { dossierId: string | null; batchId: string | null };
  /** The sync outbox or a sync run changed (queue length, running or not). */
  'sync.changed': { pending: number; running: boolean };
  /**
   * A page of a `pages.import` call that named itself (`importId`) was stored: file `file` of
   * `files`, page `page` of `pages`. Counts only: file names may name people.
   */
  'import.progress': { importId: string; file: number; files: number; page: number; pages: number };
}
export type EventName = keyof EventMap;
export const EVENT_NAMES: readonly EventName[] = [
  'ocr.progress',
  'dossier.changed',
  'ocr.reviewed',
  'workflow.changed',
  'batch.changed',
  'sync.changed',
  'import.progress',
];
