/**
 * Card-shaped rectangles on generated A4 sheets (real sharp, no OCR): cards at several places and
 * leans, front and back on one sheet, a grey filled card, a blank sheet, and a form whose table
 * (card-sized, ruled) and boxes are not cards.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  cardContains,
  cardSideOfText,
  cropCard,
  decodeGrey,
  ID_CARD_MM,
  locateCards,
  pxPerMm,
} from '../../electron/core/citizens/card-locator';
import { A4_HOLDERS, MM_PER_INCH, renderCardsOnA4, renderFormWithBoxes } from '../fixtures/id-card-on-a4';
import { mulberry32 } from '../fixtures/scans';

const HOLDER = A4_HOLDERS[0] ?? { id: '', name: '', dob: '', sex: '', nationality: '' };

async function locate(image: Buffer, dpi: number | null = 200): ReturnType<typeof locateCards> {
  const grey = await decodeGrey(image);
  return locateCards(grey, pxPerMm(grey.width, grey.height, dpi));
}

/** Where the fixture puts a card's centre (it turns the card about its own centre). */
function centreMm(leftMm: number, topMm: number, rotateDeg: number): { x: number; y: number } {
  const rad = (Math.abs(rotateDeg) * Math.PI) / 180;
  const boxW = ID_CARD_MM.width * Math.cos(rad) + ID_CARD_MM.height * Math.sin(rad);
  const boxH = ID_CARD_MM.width * Math.sin(rad) + ID_CARD_MM.height * Math.cos(rad);
  return { x: leftMm + boxW / 2, y: topMm + boxH / 2 };
}

describe('card locator', () => {
  const px = 200 / MM_PER_INCH;

  it.each([
    { leftMm: 20, topMm: 20, rotateDeg: 0 },
    { leftMm: 100, topMm: 150, rotateDeg: 2 },
    { leftMm: 60, topMm: 220, rotateDeg: -3 },
    { leftMm: 15, topMm: 90, rotateDeg: 1 },
  ])('finds one card at $leftMm,$topMm mm leaning $rotateDeg°', async ({ leftMm, topMm, rotateDeg }) => {
    const sheet = await renderCardsOnA4({ cards: [{ front: HOLDER, leftMm, topMm, rotateDeg }] });
    const cards = await locate(sheet);
    expect(cards).toHaveLength(1);
    const [card] = cards;
    if (!card) throw new Error('no card');
    const centre = centreMm(leftMm, topMm, rotateDeg);
    expect(Math.abs(card.cx / px - centre.x)).toBeLessThan(2);
    expect(Math.abs(card.cy / px - centre.y)).toBeLessThan(2);
    expect(Math.abs(card.width / px - ID_CARD_MM.width)).toBeLessThan(2.5);
    expect(Math.abs(card.height / px - ID_CARD_MM.height)).toBeLessThan(2.5);
    expect(Math.abs(card.angle - rotateDeg)).toBeLessThanOrEqual(0.5);
    expect(card.filled).toBe(false);
  });

  it('finds the front and the back of a sheet, top to bottom, and straightens the crop', async () => {
    const sheet = await renderCardsOnA4({
      cards: [
        { back: { id: HOLDER.id }, leftMm: 40, topMm: 160, rotateDeg: -1.5 },
        { front: HOLDER, leftMm: 45, topMm: 40, rotateDeg: 2.5 },
      ],
      jpegQuality: 80,
    });
    const cards = await locate(sheet);
    expect(cards).toHaveLength(2);
    expect(cards[0]?.cy).toBeLessThan(cards[1]?.cy ?? 0);
    expect(cards[0]?.angle).toBeCloseTo(2.5, 0);
    const crop = await cropCard(
      await decodeGrey(sheet),
      cards[0] ?? { cx: 0, cy: 0, width: 1, height: 1, angle: 0, filled: false },
    );
    // Enlarged to 300 dpi, the resolution the field layout was measured at, and says so.
    const meta = await sharp(crop).metadata();
    expect(meta.width).toBeGreaterThanOrEqual(1010);
    expect(meta.width).toBeLessThanOrEqual(1014);
    expect(Math.abs((meta.height ?? 0) / (meta.width ?? 1) - ID_CARD_MM.height / ID_CARD_MM.width)).toBeLessThan(0.02);
    expect(Math.abs((meta.density ?? 0) - 300)).toBeLessThan(3);
    // Straightened: the outline runs along the crop's top rows, not across them.
    const grey = await decodeGrey(crop);
    const darkIn = (row: number): number => {
      let dark = 0;
      for (let x = 0; x < grey.width; x++) if ((grey.data[row * grey.width + x] ?? 255) < 200) dark++;
      return dark / grey.width;
    };
    expect(Math.max(darkIn(0), darkIn(1), darkIn(2), darkIn(3))).toBeGreaterThan(0.6);
  });

  it('finds a card copied as a grey rectangle, with the resolution estimated from A4', async () => {
    const sheet = await renderCardsOnA4({ cards: [{ front: HOLDER, leftMm: 70, topMm: 100, filled: true }], dpi: 300 });
    const cards = await locate(sheet, null);
    expect(cards).toHaveLength(1);
    expect(cards[0]?.filled).toBe(true);
    expect(Math.abs((cards[0]?.width ?? 0) / (300 / MM_PER_INCH) - ID_CARD_MM.width)).toBeLessThan(2.5);
  });

  it('finds a faint card edge through the grain and specks of a scan', async () => {
    const sheet = await decodeGrey(
      await renderCardsOnA4({ cards: [{ front: HOLDER, leftMm: 50, topMm: 80, rotateDeg: 2 }], jpegQuality: 80 }),
    );
    // Ink at 60 % of its contrast (the edge about 45 levels under the paper), greyish paper, grain of
    // ±10 levels, one pixel in 500 a dark speck.
    const random = mulberry32(7);
    const unit = (): number => random() / 2 ** 32;
    const data = new Uint8Array(sheet.data.length);
    for (let i = 0; i < data.length; i++) {
      const grain = 255 - (255 - (sheet.data[i] ?? 255)) * 0.6 + (unit() - 0.5) * 20 - 10;
      data[i] = Math.max(0, Math.min(255, Math.round(unit() < 0.002 ? 60 : grain)));
    }
    const cards = await locateCards({ ...sheet, data }, pxPerMm(sheet.width, sheet.height, 200));
    expect(cards).toHaveLength(1);
    expect(cards[0]?.angle).toBeCloseTo(2, 0);
  });

  it('finds nothing on a sheet without a card, nor on a form with a card-sized table and boxes', async () => {
    expect(await locate(await renderCardsOnA4({ cards: [], lines: ['Bản sao giấy tờ tùy thân'] }))).toEqual([]);
    expect(await locate(await renderFormWithBoxes())).toEqual([]);
  });

  it('tells a front from a back by its text, and a form from either', () => {
    expect(cardSideOfText('CĂN CƯỚC CÔNG DÂN\nSố / No.: 001085012345')).toBe('front');
    expect(cardSideOfText('Citizen Identity Card Họ và tên / Full name')).toBe('front');
    expect(cardSideOfText('Đặc điểm nhân dạng\nIDVNM0850123456<<<')).toBe('back');
    expect(cardSideOfText('Số căn cước công dân của người khai')).toBeNull();
    const card = { cx: 100, cy: 100, width: 80, height: 50, angle: 10, filled: false };
    expect(cardContains(card, 100, 100)).toBe(true);
    expect(cardContains(card, 138, 106)).toBe(true);
    expect(cardContains(card, 138, 80)).toBe(false);
  });
});
