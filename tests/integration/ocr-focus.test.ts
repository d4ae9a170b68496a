/**
 * What is on the clerk's screen goes first in the OCR queue (real SQLite, sharp, tesseract.js with
 * one worker): the page open in the page view, then its dossier's pages, so a citizen's pages do
 * not wait behind a batch queued earlier for the inbox.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderTextPage } from '../fixtures/scans';
import { call, openTempBackend } from '../support/temp-backend';

const PAGE_SIZE = { widthPx: 1000, heightPx: 500, dpi: 200 } as const;

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
});

/**
 * Three inbox pages queued, then two pages of a dossier; OCR starts once `focus` has been told:
 * the dossier or none, and maybe a page on screen, by name. Returns the order the pages were
 * recognized in, by name.
 */
async function recognitionOrder(focus: { dossier: boolean; page?: string }): Promise<string[]> {
  // OCR stays stopped while the queue is filled, so nothing is taken before the focus is set.
  const { backend, dir, close } = await openTempBackend({ runOcr: false });
  closers.push(close);
  const dossier = await call(backend, 'dossiers.create', {
    citizenId: '001085012345',
    citizenName: 'Trần Thị Bình',
    procedureCode: '1.001193',
  });
  const names = new Map<number, string>();
  const importPage = async (name: string, title: string, dossierId: string | null): Promise<void> => {
    const file = path.join(dir, `${name}.png`);
    writeFileSync(file, await renderTextPage({ ...PAGE_SIZE, lines: [title], noiseSeed: names.size + 1 }));
    const [outcome] = await backend.importFiles([{ file, name: `${name}.png` }], { dossierId, citizenId: null });
    if (!outcome?.ok) throw new Error(`import of ${name} failed`);
    for (const id of outcome.pageIds) names.set(id, name);
  };
  await importPage('lo-1', 'THÔNG BÁO', null);
  await importPage('lo-2', 'ĐƠN ĐỀ NGHỊ', null);
  await importPage('lo-3', 'GIẤY HẸN', null);
  await importPage('ho-so-1', 'TỜ KHAI', dossier.id);
  await importPage('ho-so-2', 'GIẤY CHỨNG SINH', dossier.id);

  const order: string[] = [];
  const off = backend.events.on('ocr.progress', (event) => {
    if (event.status === 'done') order.push(names.get(event.pageId) ?? `?${event.pageId}`);
  });
  const dossierId = focus.dossier ? dossier.id : null;
  const pageId = [...names].find(([, name]) => name === focus.page)?.[0];
  expect(await call(backend, 'ocr.focus', { dossierId, ...(pageId === undefined ? {} : { pageId }) })).toEqual({
    dossierId,
    pageId: pageId ?? null,
  });
  backend.ocr.start();
  await backend.ocr.waitForPages([...names.keys()]);
  off();
  return order;
}

describe('ocr.focus (real backend)', () => {
  const cases: [string, { dossier: boolean; page?: string }, string[]][] = [
    [
      'recognizes the dossier on screen first, then the rest in the order it was queued',
      { dossier: true },
      ['ho-so-1', 'ho-so-2', 'lo-1', 'lo-2', 'lo-3'],
    ],
    [
      'recognizes the page on screen before the rest of its dossier',
      { dossier: true, page: 'ho-so-2' },
      ['ho-so-2', 'ho-so-1', 'lo-1', 'lo-2', 'lo-3'],
    ],
    [
      'recognizes an inbox page on screen first, then the queue’s order',
      { dossier: false, page: 'lo-3' },
      ['lo-3', 'lo-1', 'lo-2', 'ho-so-1', 'ho-so-2'],
    ],
    [
      'keeps the queue’s order when nothing is on screen',
      { dossier: false },
      ['lo-1', 'lo-2', 'lo-3', 'ho-so-1', 'ho-so-2'],
    ],
  ];
  it.each(cases)('%s', async (_name, focus, expected) => {
    expect(await recognitionOrder(focus)).toEqual(expected);
  });
});
