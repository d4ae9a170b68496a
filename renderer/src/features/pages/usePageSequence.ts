import { useCall } from '../../api';

export interface PageSequence {
  /** 1-based position of the page in its dossier, if known. */
  position: number | undefined;
  total: number | undefined;
  prevId: number | undefined;
  nextId: number | undefined;
}

/** Where a page sits among its dossier's pages, for ← / → and "Trang 2/5". */
export function usePageSequence(pageId: number, dossierId: string | null | undefined): PageSequence {
  const detail = useCall('dossiers.get', dossierId ? { id: dossierId } : null);
  const ids = detail.data?.documents.flatMap((d) => d.pages.map((p) => p.id)) ?? [];
  const i = ids.indexOf(pageId);
  if (i < 0) return { position: undefined, total: undefined, prevId: undefined, nextId: undefined };
  return { position: i + 1, total: ids.length, prevId: ids[i - 1], nextId: ids[i + 1] };
}
