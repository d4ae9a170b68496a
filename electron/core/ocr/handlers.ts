import os from 'node:os';
import type { ocrCalls } from '../../../shared/api/calls/ocr';
import type { HandlerGroup } from '../dispatch';
import type { Services } from '../services';
import { cancelOcr, correctWord, ocrReview, retryCancelledOcr, saveOcrSettings } from './ocr-control';
import { reviewThreshold, setReviewThreshold } from './review-threshold';

export function ocrHandlers(services: Services): HandlerGroup<typeof ocrCalls> {
  const { db, jobs, ocr, events } = services;
  return {
    'ocr.cancel': (input) => {
      const { cancelled, dossierIds } = cancelOcr(db, input);
      // Dossier views and the queue indicator refresh on these.
      for (const dossierId of dossierIds) events.emit('workflow.changed', { dossierId });
      return { cancelled };
    },
    'ocr.focus': (input) => {
      ocr.focus(input.dossierId, input.pageId ?? null);
      return { dossierId: input.dossierId, pageId: input.pageId ?? null };
    },
    'ocr.retry': (input) => {
      const queued = retryCancelledOcr(db, jobs, input);
      ocr.kick();
      return { queued };
    },
    'pages.ocrReview': (input) => ocrReview(db, input.pageId),
    'pages.correctWord': (input) => {
      const review = correctWord(db, input);
      // The dossier list counts pages to check: a correction may take this one off it.
      events.emit('ocr.reviewed', { pageId: input.pageId });
      return review;
    },
    'ocr.setReviewThreshold': (input) => {
      const saved = setReviewThreshold(db, input.threshold);
      events.emit('ocr.reviewed', { pageId: null });
      return saved;
    },
    'ocr.settings': () => ({
      reviewThreshold: reviewThreshold(db),
      workers: ocr.workers,
      model: ocr.model,
      languages: ocr.languages,
      defaultWorkers: os.availableParallelism(),
      cores: os.availableParallelism(),
    }),
    'ocr.updateSettings': async (input) => {
      // The models first: a folder that cannot be prepared refuses before anything is stored.
      await ocr.setModel(input.model);
      const saved = saveOcrSettings(db, input);
      ocr.setWorkers(saved.workers);
      ocr.setLanguages(saved.languages);
      // The threshold is among the settings: pages to check may be more or fewer.
      events.emit('ocr.reviewed', { pageId: null });
      return saved;
    },
  };
}
