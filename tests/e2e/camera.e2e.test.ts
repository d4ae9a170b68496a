/**
 * The document camera in a real Chromium (browser mode, real backend): Chromium's fake camera plays
 * a generated photo (an A4 form on a dark desk, seen by a tilted camera) from a Y4M file; the clerk
 * opens the camera, captures with Space, sees the page outline, and the page lands in the dossier
 * flattened to A4. Without a camera, or without permission, a clear Vietnamese message shows.
 * Debian's Chromium at /usr/bin/chromium; Playwright never downloads a browser.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { outputSize } from '../../electron/core/capture/flatten';
import { a4Corners, cameraPhoto, photoY4m, type CameraPhoto } from '../fixtures/camera-photos';
import { SAMPLE_PAGES } from '../fixtures/scans';
import { launchChromium } from '../support/browser';
import { openSignedInPage, startSignedInHost, type WebHost } from '../support/e2e-app';
import { callAs, type WebSession } from '../support/web-session';

const FRAME = { width: 1920, height: 1080 };
const FAKE_UI = '--use-fake-ui-for-media-stream';
const FAKE_DEVICE = '--use-fake-device-for-media-stream';

describe('document camera in the dossier view (real browser, fake camera)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-camera-'));
  let backend: Backend;
  let closeApp: (() => Promise<void>) | undefined;
  let host: WebHost | undefined;
  const browsers: Browser[] = [];
  let admin: WebSession;
  let dossierId = '';
  let photo: CameraPhoto;
  let video = '';

  beforeAll(async () => {
    ({ backend, host, admin, close: closeApp } = await startSignedInHost(work));
    const dossier = await callAs(backend, admin, 'dossiers.create', {
      citizenId: '048085006789',
      procedureCode: '1.001193',
    });
    dossierId = dossier.id;
    photo = await cameraPhoto({
      lines: SAMPLE_PAGES[0]!.lines,
      width: FRAME.width,
      height: FRAME.height,
      corners: a4Corners({ tiltDeg: 18, turnDeg: 8, distanceMm: 560, focalPx: 1500, frame: FRAME }),
      pageWidth: 827,
      pageHeight: 1169,
      pageDpi: 100,
      seed: 4,
    });
    video = path.join(work, 'camera.y4m');
    writeFileSync(video, photoY4m(photo));
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await closeApp?.();
    rmSync(work, { recursive: true, force: true });
  });

  async function openDossier(args: string[]): Promise<Page> {
    if (!host) throw new Error('web host did not start');
    const browser = await launchChromium(args);
    browsers.push(browser);
    const page = await openSignedInPage(browser, admin);
    // Counts the times the page opens a camera: opening it twice makes the preview flicker and
    // loses a Space pressed in between.
    await page.addInitScript(() => {
      const media = navigator.mediaDevices as (MediaDevices & { opened?: number }) | undefined;
      if (!media?.getUserMedia) return;
      const open = media.getUserMedia.bind(media);
      media.opened = 0;
      media.getUserMedia = (constraints) => {
        media.opened = (media.opened ?? 0) + 1;
        return open(constraints);
      };
    });
    await page.goto(`${host.url}/#/dossiers/${dossierId}`);
    await page.getByTestId('camera-open').click();
    await page.getByTestId('camera-panel').waitFor();
    return page;
  }

  it('captures a page with Space, shows its outline, and stores it flattened to A4', async () => {
    const page = await openDossier([FAKE_UI, FAKE_DEVICE, `--use-file-for-fake-video-capture=${video}`]);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const capture = page.getByTestId('camera-capture');
    await expect.poll(() => capture.isEnabled(), { timeout: 20_000 }).toBe(true);
    // The preview runs at the file's full resolution.
    expect(await page.getByTestId('camera-resolution').innerText()).toContain('1920×1080');
    // The preview shows frames before the clerk presses Space.
    await expect
      .poll(() => page.getByTestId('camera-preview').evaluate((v) => (v as HTMLVideoElement).readyState), {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Space');
    const last = page.getByTestId('camera-last');
    await expect.poll(() => last.getAttribute('data-phase'), { timeout: 60_000 }).toBe('done');
    expect(await last.getAttribute('data-flattened')).toBe('true');
    await page.getByTestId('camera-outline').waitFor();
    expect(await last.innerText()).toContain('Đã tìm thấy bốn góc');
    expect(await page.getByTestId('camera-count').innerText()).toContain('1 trang');
    // The camera opened once: the one that opened is taken as the one chosen, not opened again.
    expect(await page.evaluate(() => (navigator.mediaDevices as MediaDevices & { opened?: number }).opened)).toBe(1);

    await page.getByRole('button', { name: 'Đóng' }).click();
    await expect.poll(() => page.getByTestId('page-thumb').count(), { timeout: 20_000 }).toBe(1);
    const detail = await callAs(backend, admin, 'dossiers.get', { id: dossierId });
    const stored = detail.documents.flatMap((d) => d.pages);
    expect(stored).toHaveLength(1);
    const expected = outputSize(photo.corners, FRAME);
    const { width, height } = stored[0]!;
    console.log(JSON.stringify({ name: 'camera.e2ePageSize', value: `${width}x${height}`, expected, unit: 'px' }));
    expect(height / width).toBeCloseTo(Math.SQRT2, 2);
    expect(Math.abs(width - expected.width) / expected.width).toBeLessThan(0.02);
    expect(errors).toEqual([]);
  });

  it('says in Vietnamese that there is no camera', async () => {
    const page = await openDossier([FAKE_UI]);
    const error = page.getByTestId('camera-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.innerText()).toContain('Không tìm thấy máy ảnh');
    expect(await page.getByTestId('camera-capture').isDisabled()).toBe(true);
  });

  it('says in Vietnamese that camera permission was refused', async () => {
    // A fake camera but no automatic "allow": headless Chromium refuses the prompt.
    const page = await openDossier([FAKE_DEVICE, '--deny-permission-prompts']);
    const error = page.getByTestId('camera-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.innerText()).toContain('chưa được phép dùng máy ảnh');
  });
});
