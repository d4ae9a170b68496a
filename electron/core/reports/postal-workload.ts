import type { PostalWorkload } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { pageSizeClass } from '../../../shared/domain/page-size';
import { vietnamPeriod } from '../../../shared/domain/scorecard';
import type { Db } from '../db/database';
import type { BlobStore } from '../files/blob-store';
import { pageColourModes, type ColourMode } from './page-colour';

/**
 * Scanning work per operator and day or month (Vietnam time), the basis of norm-based invoicing:
 * every page of every scan attached to a component in the period. The operator is the item's
 * recorded `added_by`. `onlyOperator` keeps one operator's rows (a postal operator sees their own).
 */

interface PageRow {
  operator: string;
  added_at: string;
  item_id: string;
  dossier_id: string;
  document_id: string;
  approval: string | null;
  rescan: number;
  width: number | null;
  height: number | null;
  dpi: number | null;
  page_id: number | null;
  image_sha256: string | null;
  colour_mode: ColourMode | null;
  received_at: string;
  digitized_at: string | null;
}

const SQL = `
  SELECT i.added_by AS operator, i.added_at, i.id AS item_id, c.dossier_id, i.document_id, i.approval,
         EXISTS (SELECT 1 FROM component_items e
                  WHERE e.component_id = i.component_id AND e.kind = 'scanned' AND e.added_at < i.added_at
                    AND (e.approval = 'rejected' OR e.removed_at IS NOT NULL)) AS rescan,
         p.width, p.height, p.dpi, p.id AS page_id, p.image_sha256, p.colour_mode, d.created_at AS received_at,
         (SELECT min(h.at) FROM dossier_status_history h
           WHERE h.dossier_id = d.id AND h.to_status = 'digitized') AS digitized_at
  FROM component_items i
  JOIN dossier_components c ON c.id = i.component_id
  JOIN dossiers d ON d.id = c.dossier_id
  LEFT JOIN pages p ON p.document_id = i.document_id
  WHERE i.kind = 'scanned' AND i.added_at >= ? AND i.added_at < ?
  ORDER BY i.added_at`;

const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export async function postalWorkload(
  db: Db,
  store: BlobStore,
  input: { from: string; to: string; per: 'day' | 'month' },
  onlyOperator?: string,
): Promise<PostalWorkload> {
  const period = vietnamPeriod(input.from, input.to);
  if (!period) {
    throw new AppFailure(
      'VALIDATION',
      'Khoảng thời gian không hợp lệ: ngày phải có dạng YYYY-MM-DD và “từ ngày” không sau “đến ngày”.',
      'Invalid period: dates must be YYYY-MM-DD and "from" must not be after "to".',
      'from',
    );
  }
  interface Acc {
    row: PostalWorkload['rows'][number];
    dossiers: Set<string>;
    documents: Set<string>;
    items: Set<string>;
    hours: Map<string, number>;
  }
  const groups = new Map<string, Acc>();
  const pageRows = (db.prepare(SQL).all(period.start, period.end) as PageRow[]).filter(
    (r) => onlyOperator === undefined || r.operator === onlyOperator,
  );
  const colours = await backfillColourModes(db, store, pageRows);
  for (const r of pageRows) {
    const day = new Date(Date.parse(r.added_at) + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
    const key = input.per === 'day' ? day : day.slice(0, 7);
    const id = `${r.operator}\u0000${key}`;
    let acc = groups.get(id);
    if (!acc) {
      acc = {
        row: {
          operator: r.operator,
          period: key,
          dossiers: 0,
          documents: 0,
          pages: 0,
          pagesA4: 0,
          pagesA3: 0,
          pagesLarger: 0,
          pagesUnknownSize: 0,
          pagesColour: 0,
          pagesGreyscale: 0,
          pagesBilevel: 0,
          pagesUnknownColour: 0,
          rescans: 0,
          rejectedPages: 0,
          medianHoursToDigitized: null,
        },
        dossiers: new Set(),
        documents: new Set(),
        items: new Set(),
        hours: new Map(),
      };
      groups.set(id, acc);
    }
    acc.dossiers.add(r.dossier_id);
    acc.documents.add(r.document_id);
    if (!acc.items.has(r.item_id)) {
      acc.items.add(r.item_id);
      if (r.rescan === 1) acc.row.rescans++;
    }
    if (r.digitized_at !== null) {
      acc.hours.set(r.dossier_id, (Date.parse(r.digitized_at) - Date.parse(r.received_at)) / 3_600_000);
    }
    if (r.width === null || r.height === null) continue; // a document without pages
    acc.row.pages++;
    if (r.approval === 'rejected') acc.row.rejectedPages++;
    const size = pageSizeClass(r.width, r.height, r.dpi);
    if (size === 'a4') acc.row.pagesA4++;
    else if (size === 'a3') acc.row.pagesA3++;
    else if (size === 'larger') acc.row.pagesLarger++;
    else acc.row.pagesUnknownSize++;
    const colour = r.colour_mode ?? (r.page_id === null ? null : (colours.get(r.page_id) ?? null));
    if (colour === 'colour') acc.row.pagesColour++;
    else if (colour === 'greyscale') acc.row.pagesGreyscale++;
    else if (colour === 'bilevel') acc.row.pagesBilevel++;
    else acc.row.pagesUnknownColour++;
  }
  const rows = [...groups.values()].map((acc) => {
    const hours = median([...acc.hours.values()]);
    return {
      ...acc.row,
      dossiers: acc.dossiers.size,
      documents: acc.documents.size,
      medianHoursToDigitized: hours === null ? null : Math.round(hours * 10) / 10,
    };
  });
  rows.sort((a, b) => a.operator.localeCompare(b.operator) || a.period.localeCompare(b.period));
  return { from: input.from, to: input.to, per: input.per, rows };
}

/**
 * Pages stored before import recorded their colour mode (migration 009): derived once from the
 * stored image and written back, so the next report reads the column.
 */
async function backfillColourModes(db: Db, store: BlobStore, rows: PageRow[]): Promise<Map<number, ColourMode>> {
  const pending = rows.filter((r) => r.colour_mode === null && r.page_id !== null && r.image_sha256 !== null);
  const found = new Map<number, ColourMode>();
  if (pending.length === 0) return found;
  const modes = await pageColourModes(
    store,
    pending.map((r) => r.image_sha256 ?? ''),
  );
  const write = db.prepare('UPDATE pages SET colour_mode = ? WHERE id = ? AND colour_mode IS NULL');
  db.transaction(() => {
    for (const r of pending) {
      const mode = modes.get(r.image_sha256 ?? '');
      if (!mode || r.page_id === null) continue;
      found.set(r.page_id, mode);
      write.run(mode, r.page_id);
    }
  })();
  return found;
}
