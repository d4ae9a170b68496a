import { useCallback, useRef, useState } from 'react';
import type { ImportOutcome } from '../../../../shared/api/contract';
import { api, toAppError, useApiEvent, useLatest } from '../../api';
import { en, vi } from '../../i18n/messages';

export const ACCEPTED_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.tif', '.tiff'] as const;
export const ACCEPT_ATTRIBUTE = [...ACCEPTED_EXTENSIONS, 'image/jpeg', 'image/png', 'image/tiff'].join(',');

/** Files uploaded before each `pages.import`, so pages appear while a big batch is still going. */
const IMPORT_CHUNK = 10;
const PARALLEL_UPLOADS = 3;

export interface ImportProblem {
  key: string;
  name: string;
  kind: 'error' | 'duplicate';
  message: string;
  messageEn?: string;
}

export interface ImportProgress {
  phase: 'idle' | 'uploading' | 'importing' | 'done';
  totalFiles: number;
  uploadedFiles: number;
  /** 0..1 over the bytes of the whole batch. */
  fraction: number;
  addedPages: number;
  importedFiles: number;
  /**
   * While importing: the page last stored, in the batch's file `file` (1-based over the whole
   * batch) of `pages`; null before the backend has told.
   */
  importing: { file: number; page: number; pages: number } | null;
}

const IDLE: ImportProgress = {
  phase: 'idle',
  totalFiles: 0,
  uploadedFiles: 0,
  fraction: 0,
  addedPages: 0,
  importedFiles: 0,
  importing: null,
};

let importSeq = 0;
/** A name for one `pages.import` call, to know its progress events among other windows' imports. */
function newImportId(): string {
  importSeq += 1;
  // Not a secret: crypto.randomUUID needs a secure context, which browser mode over a LAN is not.
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}-${String(importSeq)}`;
}

export function isAcceptedFile(file: File): boolean {
  const name = file.name.toLowerCase();
  return ACCEPTED_EXTENSIONS.some((ext) => name.endsWith(ext));
}

let problemSeq = 0;
function problem(name: string, kind: ImportProblem['kind'], message: string, messageEn?: string): ImportProblem {
  problemSeq += 1;
  return { key: `p${problemSeq}`, name, kind, message, ...(messageEn ? { messageEn } : {}) };
}

/**
 * Sends picked or dropped files to the backend and imports them into a dossier: uploads (a few at
 * a time, with byte progress), then `pages.import` per chunk. A refused file becomes a problem in
 * the list and the batch goes on. Files added while a batch runs join its queue.
 */
export function useImportFiles(dossierId: string, onImported: () => void) {
  const [progress, setProgress] = useState<ImportProgress>(IDLE);
  const [problems, setProblems] = useState<ImportProblem[]>([]);
  const [duplicatePageIds, setDuplicatePageIds] = useState<ReadonlySet<number>>(new Set());
  const queue = useRef<File[]>([]);
  const running = useRef(false);
  const latestDossierId = useLatest(dossierId);
  const latestOnImported = useLatest(onImported);
  /** The running `pages.import` call, and how many of the batch's files went in earlier calls. */
  const currentImport = useRef<{ id: string; filesBefore: number } | null>(null);
  useApiEvent('import.progress', (event) => {
    const current = currentImport.current;
    if (!current || event.importId !== current.id) return;
    setProgress((p) => ({
      ...p,
      importing: { file: current.filesBefore + event.file, page: event.page, pages: event.pages },
    }));
  });

  const recordOutcomes = useCallback((outcomes: ImportOutcome[]) => {
    const newProblems: ImportProblem[] = [];
    const duplicates: number[] = [];
    let pages = 0;
    for (const outcome of outcomes) {
      // A stack split at separator sheets waits for the clerk in the batch panel, not an error.
      if (!outcome.ok && outcome.error.code === 'STAGED') continue;
      if (!outcome.ok) {
        newProblems.push(problem(outcome.name, 'error', outcome.error.message, outcome.error.messageEn));
      } else if (outcome.duplicate) {
        duplicates.push(...outcome.pageIds);
        newProblems.push(problem(outcome.name, 'duplicate', vi['import.duplicate'], en['import.duplicate']));
      } else {
        pages += outcome.pageIds.length;
      }
    }
    if (newProblems.length) setProblems((prev) => [...prev, ...newProblems]);
    if (duplicates.length) setDuplicatePageIds((prev) => new Set([...prev, ...duplicates]));
    const imported = outcomes.filter((o) => o.ok && !o.duplicate).length;
    setProgress((p) => ({ ...p, addedPages: p.addedPages + pages, importedFiles: p.importedFiles + imported }));
  }, []);

  const run = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    const loaded = new Map<File, number>();
    const totalBytes = () => {
      let sum = 0;
      for (const f of loaded.keys()) sum += Math.max(1, f.size);
      return sum;
    };
    const updateFraction = () => {
      let done = 0;
      for (const [f, fraction] of loaded) done += fraction * Math.max(1, f.size);
      const total = totalBytes();
      setProgress((p) => ({ ...p, fraction: total ? done / total : 0 }));
    };

    let filesBefore = 0;
    try {
      while (queue.current.length > 0) {
        const chunk = queue.current.splice(0, IMPORT_CHUNK);
        const chunkStart = filesBefore;
        filesBefore += chunk.length;
        for (const f of chunk) loaded.set(f, 0);
        setProgress((p) => ({ ...p, phase: 'uploading' }));
        // Kept in the order the clerk picked the files: that is the page order.
        const tokens: (string | undefined)[] = new Array<string | undefined>(chunk.length);
        let next = 0;
        const worker = async () => {
          while (next < chunk.length) {
            const index = next++;
            const file = chunk[index];
            if (!file) break;
            try {
              const token = await api.upload(file, (fraction) => {
                loaded.set(file, fraction);
                updateFraction();
              });
              tokens[index] = token;
            } catch (e) {
              const err = toAppError(e);
              setProblems((prev) => [...prev, problem(file.name, 'error', err.message, err.messageEn)]);
            } finally {
              loaded.set(file, 1);
              updateFraction();
              setProgress((p) => ({ ...p, uploadedFiles: p.uploadedFiles + 1 }));
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, chunk.length) }, worker));
        const uploads = tokens.filter((token): token is string => token !== undefined);
        if (uploads.length === 0) continue;
        setProgress((p) => ({ ...p, phase: 'importing', importing: null }));
        const importId = newImportId();
        currentImport.current = { id: importId, filesBefore: chunkStart };
        try {
          const outcomes = await api.call('pages.import', { dossierId: latestDossierId.current, uploads, importId });
          recordOutcomes(outcomes);
        } catch (e) {
          const err = toAppError(e);
          setProblems((prev) => [...prev, ...chunk.map((f) => problem(f.name, 'error', err.message, err.messageEn))]);
        }
        latestOnImported.current();
      }
    } finally {
      running.current = false;
      currentImport.current = null;
      setProgress((p) => ({ ...p, phase: 'done', fraction: 1, importing: null }));
    }
  }, [latestDossierId, latestOnImported, recordOutcomes]);

  const importFiles = useCallback(
    (files: readonly File[]) => {
      if (files.length === 0) return;
      const accepted: File[] = [];
      const refused: ImportProblem[] = [];
      for (const file of files) {
        if (isAcceptedFile(file)) accepted.push(file);
        else refused.push(problem(file.name, 'error', vi['import.unsupported'], en['import.unsupported']));
      }
      if (refused.length) setProblems((prev) => [...prev, ...refused]);
      if (accepted.length === 0) return;
      if (!running.current) {
        setProgress({ ...IDLE, phase: 'uploading', totalFiles: accepted.length });
      } else {
        setProgress((p) => ({ ...p, totalFiles: p.totalFiles + accepted.length }));
      }
      queue.current.push(...accepted);
      void run();
    },
    [run],
  );

  const dismissProblem = useCallback((key: string) => {
    setProblems((prev) => prev.filter((p) => p.key !== key));
  }, []);
  const dismissAll = useCallback(() => setProblems([]), []);

  return { progress, problems, duplicatePageIds, importFiles, dismissProblem, dismissAll };
}
