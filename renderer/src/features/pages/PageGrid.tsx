import type { DocumentSummary } from '../../../../shared/api/contract';
import type { OcrLive } from '../ocr/useOcrLive';
import { PageThumb } from './PageThumb';

/** All pages of a dossier, in document order, numbered 1..n. */
export function PageGrid({
  documents,
  live,
  duplicatePageIds,
}: {
  documents: readonly DocumentSummary[];
  live: ReadonlyMap<number, OcrLive>;
  duplicatePageIds: ReadonlySet<number>;
}) {
  const items = documents.flatMap((doc) => doc.pages.map((page) => ({ doc, page })));
  return (
    <ol className="page-grid" data-testid="page-grid">
      {items.map(({ doc, page }, i) => (
        <PageThumb
          key={page.id}
          page={page}
          index={i + 1}
          sourceName={doc.pages.length > 1 ? `${doc.sourceName} · ${page.pageNo}/${doc.pages.length}` : doc.sourceName}
          live={live.get(page.id)}
          duplicate={duplicatePageIds.has(page.id)}
        />
      ))}
    </ol>
  );
}
