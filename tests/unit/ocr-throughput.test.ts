import { describe, expect, it } from 'vitest';
import { importProgressLine, ocrProgressLine } from '../../electron/cli/commands/ingest';
import { PageThroughput } from '../../electron/core/ocr/throughput';

describe('the OCR queue’s time left', () => {
  it('is unknown until a few pages have been finished, then follows their pace', () => {
    const meter = new PageThroughput();
    expect(meter.secondsLeft(10, 0)).toBeNull();
    meter.record(0);
    meter.record(3_000);
    expect(meter.secondsLeft(10, 3_000)).toBeNull();
    meter.record(6_000);
    // One page every 3 s: 10 more pages take 30 s.
    expect(meter.secondsLeft(10, 6_000)).toBe(30);
    // Rounded up, never down to "no time".
    expect(meter.secondsLeft(1, 6_000)).toBe(3);
    expect(meter.secondsLeft(0, 6_000)).toBe(0);
  });

  it('follows the recent pace, not the one before a break', () => {
    const meter = new PageThroughput();
    for (let i = 0; i < 10; i++) meter.record(i * 1_000);
    // Ten minutes later a new batch starts: the old pages say nothing of it.
    const later = 10 * 60_000;
    expect(meter.secondsLeft(5, later)).toBeNull();
    for (let i = 0; i < 4; i++) meter.record(later + i * 5_000);
    // 3 intervals over 15 s: a page every 5 s.
    expect(meter.secondsLeft(6, later + 15_000)).toBe(30);
  });

  it('needs the pages to span a little time: three pages finished at once tell nothing', () => {
    const meter = new PageThroughput();
    meter.record(1_000);
    meter.record(1_010);
    meter.record(1_020);
    expect(meter.secondsLeft(100, 1_020)).toBeNull();
  });
});

describe('sohoa ingest’s OCR progress line', () => {
  it('says how many pages are done and, once the pace is known, about how long the rest takes', () => {
    expect(ocrProgressLine(3, 140, null)).toBe('OCR: 3/140 trang\n');
    expect(ocrProgressLine(12, 140, 45)).toBe('OCR: 12/140 trang · còn dưới 1 phút\n');
    expect(ocrProgressLine(12, 140, 301)).toBe('OCR: 12/140 trang · còn khoảng 6 phút\n');
    expect(ocrProgressLine(140, 140, 0)).toBe('OCR: 140/140 trang\n');
  });
});

describe('sohoa ingest’s import progress line', () => {
  it('tells every tenth page and the last of a long file, indented, and nothing for a one-page file', () => {
    expect(importProgressLine('ho-so.pdf', 9, 300)).toBeNull();
    expect(importProgressLine('ho-so.pdf', 10, 300)).toBe('  ho-so.pdf: trang 10/300\n');
    expect(importProgressLine('ho-so.pdf', 300, 300)).toBe('  ho-so.pdf: trang 300/300\n');
    expect(importProgressLine('ho-so.pdf', 3, 3)).toBe('  ho-so.pdf: trang 3/3\n');
    expect(importProgressLine('to-khai.png', 1, 1)).toBeNull();
  });
});
