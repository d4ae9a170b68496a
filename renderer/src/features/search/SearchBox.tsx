import { useEffect, useId, useRef, useState } from 'react';
import type { SearchHit } from '../../../../shared/api/contract';
import { api, useCall } from '../../api';
import { hasCommandKey, isModalOpen, isTypingTarget, SHORTCUTS, useWindowKeydown } from '../../app/keyboard';
import { navigate } from '../../app/router';
import { useErrorText, useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import { Kbd } from '../../ui/Kbd';
import { HighlightedText } from './HighlightedText';

const DEBOUNCE_MS = 200;

/**
 * The one search box (Ctrl+K or /): searches the digitized text as the clerk types, with or
 * without diacritics; ↑/↓ pick a hit, Enter opens it, Esc closes the list.
 */
export function SearchBox({ dossierCodes }: { dossierCodes: ReadonlyMap<string, string> }) {
  const t = useT();
  const errorText = useErrorText();
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const timer = setTimeout(() => {
      setQuery(q.trim());
      setActive(0);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q]);

  const results = useCall('search.query', query ? { q: query, limit: 20 } : null, { keepPrevious: true });
  const hits: SearchHit[] = query ? (results.data ?? []) : [];
  const showList = open && q.trim() !== '';

  useWindowKeydown((e) => {
    if (isModalOpen()) return;
    const commandK = hasCommandKey(e) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';
    const slash = e.key === '/' && !hasCommandKey(e) && !e.altKey && !isTypingTarget(e.target);
    if (commandK || slash) {
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
      setOpen(true);
    }
  });

  function openHit(hit: SearchHit, searched: string) {
    setOpen(false);
    input.current?.blur();
    navigate({ name: 'page', id: hit.pageId, q: searched });
  }

  return (
    <div
      className="search"
      role="search"
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <div className="search__field">
        <Icon name="search" />
        <input
          ref={input}
          className="search__input"
          type="search"
          role="combobox"
          aria-label={t('search.label')}
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList && hits[active] ? `${listId}-${active}` : undefined}
          placeholder={t('search.placeholder')}
          title={`${t('search.hint')} (${SHORTCUTS.search}, ${SHORTCUTS.searchAlt})`}
          value={q}
          maxLength={500}
          spellCheck={false}
          autoComplete="off"
          data-testid="search-input"
          onFocus={() => setOpen(true)}
          onChange={(e) => {
            setQ(e.target.value);
            setOpen(true);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setOpen(true);
              setActive((i) => Math.min(i + 1, Math.max(0, hits.length - 1)));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((i) => Math.max(0, i - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              const typed = q.trim();
              if (typed === '') return;
              if (query === typed && !results.loading) {
                const hit = hits[active];
                if (hit) openHit(hit, typed);
              } else {
                // Typed faster than the debounce: search now and open the best hit.
                setQuery(typed);
                api.call('search.query', { q: typed, limit: 20 }).then(
                  (found) => {
                    if (found[0]) openHit(found[0], typed);
                  },
                  () => undefined,
                );
              }
            } else if (e.key === 'Escape') {
              e.preventDefault();
              if (showList) setOpen(false);
              else {
                setQ('');
                input.current?.blur();
              }
            }
          }}
        />
        <span className="search__keys" aria-hidden="true">
          <Kbd keys={SHORTCUTS.search} />
        </span>
      </div>
      {showList ? (
        <div className="search__results" data-testid="search-results">
          {results.error ? (
            <p className="search__message search__message--error">{errorText(results.error)}</p>
          ) : hits.length === 0 ? (
            <p
              className="search__message"
              data-testid={results.loading || query !== q.trim() ? 'search-loading' : 'search-empty'}
            >
              {results.loading || query !== q.trim() ? t('search.searching') : t('search.noHits')}
            </p>
          ) : null}
          <ul id={listId} role="listbox" aria-label={t('search.results')} className="search__list">
            {hits.map((hit, i) => (
              <li
                key={hit.pageId}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={`hit${i === active ? ' hit--active' : ''}`}
                data-testid="search-hit"
                data-page-id={hit.pageId}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => openHit(hit, query)}
              >
                <div className="hit__snippet">
                  <HighlightedText text={hit.snippet} ranges={hit.highlights} />
                </div>
                <div className="hit__meta">
                  <span>{t('search.page', { n: hit.pageNo })}</span>
                  {hit.dossierId && dossierCodes.get(hit.dossierId) ? (
                    <span>{t('search.dossier', { code: dossierCodes.get(hit.dossierId) ?? '' })}</span>
                  ) : null}
                  {hit.citizenId ? <span>{t('search.citizen', { id: hit.citizenId })}</span> : null}
                </div>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
