import { useState } from 'react';
import type { OcrReview, OcrReviewWord } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { SHORTCUTS } from '../../app/keyboard';
import { useErrorText, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { useMayCall } from '../auth/session';
import { nextDoubtful, type PagesToReview } from './review-flag';
import type { OcrReviewState } from './useOcrReview';
import { WordSnippet, type ReviewImage } from './WordSnippet';
import './ocr.css';

/**
 * Low-confidence words of a page (also marked on the image), each correctable by the clerk. The
 * editor sits above the list, so a word picked on the image is edited in view however many words
 * are listed; Enter saves and moves to the next doubtful word, Esc lets go of the word.
 */
export function OcrReviewPanel({
  state,
  image,
  toReview,
}: {
  state: OcrReviewState;
  image: ReviewImage;
  /** The dossier's other pages to check: once none is left here, N opens the next. */
  toReview?: PagesToReview;
}) {
  const t = useT();
  const mayCorrect = useMayCall('pages.correctWord');
  const [saved, setSaved] = useState<{ from: string; to: string } | null>(null);
  const { review, selected, select, showAll, setShowAll } = state;
  const word = review && selected !== null ? review.words[selected] : undefined;
  if (!review) return null;
  const low = review.words.filter((w) => w.confidence < review.threshold);

  function corrected(from: OcrReviewWord, next: OcrReview) {
    state.corrected(next);
    setSaved({ from: from.text, to: next.words[from.index]?.text ?? from.text });
    select(nextDoubtful(next, from.index));
  }

  return (
    <section className="ocr-review" data-testid="ocr-review">
      <h2 className="pane-heading">{t('review.title')}</h2>
      <p className="muted small">{t('review.intro', { threshold: review.threshold })}</p>
      <label className="check small">
        <input
          type="checkbox"
          checked={showAll}
          onChange={(e) => setShowAll(e.target.checked)}
          data-testid="ocr-review-show-all"
        />
        {t('review.showAll')}
      </label>
      {saved ? (
        <p className="small" role="status" data-testid="ocr-review-saved">
          {saved.from === saved.to
            ? t('review.confirmed', { word: saved.to })
            : t('review.saved', { from: saved.from, to: saved.to })}
        </p>
      ) : null}
      {word && mayCorrect ? (
        // Keyed by the word: picking another word (or a saved correction) starts a fresh draft.
        <WordEditor
          key={`${word.index}-${word.text}`}
          pageId={review.pageId}
          word={word}
          image={image}
          onCorrected={(next) => corrected(word, next)}
          onLetGo={() => select(null)}
        />
      ) : null}
      {low.length === 0 ? (
        <p className="muted small" data-testid="ocr-review-none">
          {t('review.none')}
          {toReview?.nextId !== undefined ? ` ${t('review.nextPage', { key: SHORTCUTS.nextToReview })}` : null}
        </p>
      ) : (
        <ul className="ocr-review__list">
          {low.map((w) => (
            <li key={w.index}>
              <button
                type="button"
                className={`btn btn--small ocr-review__word${w.index === selected ? ' ocr-review__word--selected' : ''}`}
                onClick={() => select(w.index)}
                title={`${Math.round(w.confidence)}%`}
                data-testid="ocr-review-word"
                data-word-index={w.index}
              >
                {w.text}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function WordEditor({
  pageId,
  word,
  image,
  onCorrected,
  onLetGo,
}: {
  pageId: number;
  word: OcrReviewWord;
  image: ReviewImage;
  onCorrected: (review: OcrReview) => void;
  onLetGo: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const [draft, setDraft] = useState(word.text);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  async function save() {
    if (draft.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      onCorrected(await api.call('pages.correctWord', { pageId, index: word.index, text: draft.trim() }));
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <WordSnippet image={image} box={word.box} text={word.text} />
      <form
        className="ocr-review__edit"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <input
          className="input input--small"
          aria-label={t('review.correctLabel', { word: word.text })}
          value={draft}
          maxLength={200}
          // A word picked on the image or in the list is typed over at once.
          autoFocus
          onFocus={(e) => e.currentTarget.select()}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              // Only the word is let go: the page view's own Esc (back to the dossier) stays put.
              e.preventDefault();
              e.stopPropagation();
              onLetGo();
            }
          }}
          data-testid="ocr-review-input"
        />
        <button
          type="submit"
          className="btn btn--small btn--primary"
          disabled={busy || draft.trim() === ''}
          data-testid="ocr-review-save"
        >
          {t('review.save')}
        </button>
        <span className="muted small">{Math.round(word.confidence)}%</span>
      </form>
      <p className="muted small">{t('review.keys')}</p>
      {error ? (
        <Notice tone="error" testId="ocr-review-error">
          {errorText(error)}
        </Notice>
      ) : null}
    </>
  );
}
