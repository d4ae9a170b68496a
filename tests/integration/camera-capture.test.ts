/**
 * Document camera end to end under Node: a generated photo (an A4 form seen by a tilted camera on a
 * dark desk) uploaded and imported with `camera.import` comes out flattened, A4, recognized by the
 * app's real OCR (tesseract.js) close to the known text; a frame with no sheet is kept whole and
 * appended to the same document; the same photo through `pages.import` (a scanner's path) is not
 * flattened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { a4Corners, cameraPhoto, desk, photoJpeg, type CameraPhoto } from '../fixtures/camera-photos';
import { SAMPLE_PAGES, characterErrorRate, referenceText } from '../fixtures/scans';
import { call, openTempBackend } from '../support/temp-backend';
import sharp from 'sharp';

const form = SAMPLE_PAGES.find((page) => page.name === 'to-khai-khai-sinh');
if (!form) throw new Error('sample page missing');

describe('document camera: capture, flatten, recognize (real SQLite + tesseract.js)', () => {
  let backend: Backend;
  let close: () => Promise<void>;
  let dossierId: string;
  let photo: CameraPhoto;
  let jpeg: Buffer;
  let documentId: string;
  let pageId: number;

  beforeAll(async () => {
    ({ backend, close } = await openTempBackend());
    const dossier = await call(backend, 'dossiers.create', {
      citizenId: '079190123456',
      citizenName: 'Trần Thị Bình',
      procedureCode: '1.001193',
    });
    dossierId = dossier.id;
    photo = await cameraPhoto({ lines: form.lines, corners: a4Corners({ tiltDeg: 22, turnDeg: 8 }), seed: 21 });
    jpeg = await photoJpeg(photo);
  });

  afterAll(async () => {
    await close?.();
  });

  it('flattens the sheet out of the photo into an A4 page', async () => {
    const token = await backend.uploads.receive('anh-chup-1.jpg', jpeg);
    const [capture] = await call(backend, 'camera.import', { dossierId, uploads: [token], documentId: null });
    if (!capture?.outcome.ok || !capture.flatten?.corners) throw new Error('capture not imported or not flattened');
    const error = Math.max(
      ...capture.flatten.corners.map((p, i) => Math.hypot(p.x - photo.corners[i]!.x, p.y - photo.corners[i]!.y)),
    );
    console.log(JSON.stringify({ name: 'camera.cornerErrorPx', value: Number(error.toFixed(2)), unit: 'px' }));
    expect(error).toBeLessThan(3);
    documentId = capture.outcome.documentId;
    pageId = capture.outcome.pageIds[0]!;
    const page = await call(backend, 'pages.get', { id: pageId });
    expect(page.height / page.width).toBeCloseTo(Math.SQRT2, 2);
    // The working copy is the flattened sheet; the photo as taken is kept as the original.
    const full = await backend.pageImage(pageId, 'full');
    const meta = await sharp(full.bytes).metadata();
    expect({ width: meta.width, height: meta.height }).toEqual({ width: page.width, height: page.height });
    const original = backend.db.prepare('SELECT original_sha256 FROM pages WHERE id = ?').get(pageId) as {
      original_sha256: string | null;
    };
    expect(original.original_sha256).not.toBeNull();
  });

  it('recognizes the flattened page close to the known text', async () => {
    await backend.ocr.waitForPages([pageId]);
    const page = await call(backend, 'pages.get', { id: pageId });
    expect(page.ocrStatus).toBe('done');
    const cer = characterErrorRate(referenceText(form.lines), page.text);
    console.log(JSON.stringify({ name: 'camera.flattenedCer', value: Number(cer.toFixed(4)), unit: 'ratio' }));
    expect(cer).toBeLessThan(0.05);
    expect(page.text).toContain('001085012345');
  });

  it('keeps a frame with no sheet whole, says so, and adds it to the current document', async () => {
    const empty = desk(1280, 720, 9);
    const bytes = await sharp(empty.data, { raw: { width: 1280, height: 720, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const token = await backend.uploads.receive('anh-chup-2.jpg', bytes);
    const [capture] = await call(backend, 'camera.import', { dossierId, uploads: [token], documentId });
    if (!capture?.outcome.ok) throw new Error('capture not imported');
    expect(capture.flatten).toMatchObject({ corners: null, frame: { width: 1280, height: 720 } });
    expect(capture.flatten?.miss).not.toBeNull();
    expect(capture.outcome.documentId).toBe(documentId);
    const detail = await call(backend, 'dossiers.get', { id: dossierId });
    const doc = detail.documents.find((d) => d.id === documentId);
    expect(doc?.pages.map((p) => p.pageNo)).toEqual([1, 2]);
  });

  it('does not flatten the same photo imported as a scanned file, which reads worse', async () => {
    const token = await backend.uploads.receive('may-quet.jpg', await photoJpeg(photo, 90));
    const [outcome] = await call(backend, 'pages.import', { dossierId, uploads: [token] });
    if (!outcome?.ok) throw new Error('scan not imported');
    const scannedId = outcome.pageIds[0]!;
    const page = await call(backend, 'pages.get', { id: scannedId });
    expect(Math.abs(page.height / page.width - Math.SQRT2)).toBeGreaterThan(0.05);
    // What flattening is worth: the same photo recognized as it was taken.
    await backend.ocr.waitForPages([scannedId]);
    const unflattened = await call(backend, 'pages.get', { id: scannedId });
    const flattened = await call(backend, 'pages.get', { id: pageId });
    const reference = referenceText(form.lines);
    const cerAsTaken = characterErrorRate(reference, unflattened.text);
    console.log(JSON.stringify({ name: 'camera.unflattenedCer', value: Number(cerAsTaken.toFixed(4)), unit: 'ratio' }));
    expect(characterErrorRate(reference, flattened.text)).toBeLessThanOrEqual(cerAsTaken);
  });
});
