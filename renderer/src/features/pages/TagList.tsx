import { useState } from 'react';
import type { Tag } from '../../../../shared/api/contract';
import { useT } from '../../i18n';
import { TagRow } from './TagRow';

/** The tags proposed for a page (ID number, procedure code, dossier code), each to be decided. */
export function TagList({ tags }: { tags: readonly Tag[] }) {
  const t = useT();
  const [updated, setUpdated] = useState<ReadonlyMap<number, Tag>>(new Map());
  return (
    <section className="tags" data-testid="tag-list">
      <h2 className="pane-heading">{t('tags.title')}</h2>
      {tags.length === 0 ? (
        <p className="muted small">{t('tags.none')}</p>
      ) : (
        <ul className="tags__list">
          {tags.map((tag) => (
            <TagRow
              key={tag.id}
              tag={updated.get(tag.id) ?? tag}
              onUpdated={(next) => setUpdated((prev) => new Map(prev).set(next.id, next))}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
