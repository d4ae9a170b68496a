import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { PROVINCES, provinceByPrefix } from '../../../shared/domain/provinces';

const ROOT = join(import.meta.dirname, '../../..');

/** Re-reads the source TSV independently of the generator. */
function readTsv(): { prefix: string; adminCode: string; name: string }[] {
  const text = readFileSync(join(ROOT, 'assets/reference/cccd_province_prefixes.tsv'), 'utf8');
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  expect(lines[0]?.split('\t')).toEqual(['id_prefix', 'admin_code', 'name']);
  return lines.slice(1).map((line) => {
    const [prefix = '', adminCode = '', name = ''] = line.split('\t').map((c) => c.trim());
    return { prefix, adminCode, name: name.normalize('NFC') };
  });
}

describe('province table', () => {
  it('matches assets/reference/cccd_province_prefixes.tsv exactly (run scripts/gen-provinces.mjs after editing it)', () => {
    expect(PROVINCES.map((p) => ({ prefix: p.prefix, adminCode: p.adminCode, name: p.name }))).toEqual(readTsv());
  });

  it('has the 63 pre-2025 provinces with unique 3-digit prefixes', () => {
    expect(PROVINCES).toHaveLength(63);
    expect(new Set(PROVINCES.map((p) => p.prefix)).size).toBe(63);
    for (const p of PROVINCES) expect(p.prefix).toMatch(/^0\d\d$/);
  });

  it('looks up known prefixes', () => {
    expect(provinceByPrefix('001')?.name).toBe('Thành phố Hà Nội');
    expect(provinceByPrefix('079')?.name).toBe('Thành phố Hồ Chí Minh');
    expect(provinceByPrefix('096')?.name).toBe('Tỉnh Cà Mau');
  });

  it('returns undefined for prefixes that do not exist', () => {
    for (const prefix of ['000', '003', '005', '097', '123', '999', '1', '0001', '']) {
      expect(provinceByPrefix(prefix)).toBeUndefined();
    }
  });

  it('generated file says it is generated, from which file, and carries the licence', () => {
    const generated = readFileSync(join(ROOT, 'shared/domain/provinces.generated.ts'), 'utf8');
    expect(generated).toContain('GENERATED');
    expect(generated).toContain('scripts/gen-provinces.mjs');
    expect(generated).toContain('assets/reference/cccd_province_prefixes.tsv');
    expect(generated).toContain('MIT License');
    expect(generated).toContain('Nguyễn Hồng Quân');
  });
});

describe('shared/domain purity', () => {
  // The domain layer runs in the browser renderer too: it must not import Node, Electron or React.
  it('imports only relative modules inside shared/domain', () => {
    const dir = join(ROOT, 'shared/domain');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const source = readFileSync(join(dir, file), 'utf8');
      const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const spec of specifiers) expect(spec, `${file} imports ${spec}`).toMatch(/^\.\/[\w.-]+$/);
      expect(source, file).not.toMatch(/\brequire\(|\bprocess\.\w|\bBuffer\.\w/);
    }
  });
});
