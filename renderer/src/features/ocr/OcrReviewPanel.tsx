import { useState } from 'react';
import type { OcrReview, OcrReviewWord } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useErrorText, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { useMayCall } from '../auth/session';
import type { OcrReviewState } from './useOcrReview';
import './ocr.css';

/** Low-confidence words of a page (also marked on the image), each correctable by the clerk. */
export function OcrReviewPanel({ state }: { state: OcrReviewState }) {
  const t = useT();
  const mayCorrect = useMayCall('pages.correctWord');
  const { review, selected, select, showAll, setShowAll } = state;
  const word = review && selected !== null ? review.words[selected] : undefined;
  if (!review) return null;
  const low = review.words.filter((w) => w.confidence < review.threshold);

  return (
    <section className="ocr-review" data-testid="ocr-review">
      <h2 className="pane-heading">{t('review.title')}</h2>
      <p className="muted small">{t('review.intro', { threshold: review.threshold })}</p>
      <label className="small">
        <input
          type="checkbox"
          checked={showAll}
          onChange={(e) => setShowAll(e.target.checked)}
          data-testid="ocr-review-show-all"
        />{' '}
        {t('review.showAll')}
      </label>
      {low.length === 0 ? (
        <p className="muted small" data-testid="ocr-review-none">
          {t('review.none')}
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
      {word && mayCorrect ? (
        // Keyed by the word: picking another word (or a saved correction) starts a fresh draft.
        <WordEditor
          key={`${word.index}-${word.text}`}
          pageId={review.pageId}
          word={word}
          onCorrected={state.corrected}
        />
      ) : null}
    </section>
  );
}

function WordEditor({
  pageId,
  word,
  onCorrected,
}: {
  pageId: number;
  word: OcrReviewWord;
  onCorrected: (review: OcrReview) => void;
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
          onChange={(e) => setDraft(e.target.value)}
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
      {word.confidence >= 100 ? (
        <p className="small" role="status" data-testid="ocr-review-saved">
          {t('review.saved')}
        </p>
      ) : null}
      {error ? (
        <Notice tone="error" testId="ocr-review-error">
          {errorText(error)}
        </Notice>
      ) : null}
    </>
  );
}
