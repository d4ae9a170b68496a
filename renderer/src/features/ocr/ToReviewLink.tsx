import { hasCommandKey, isModalOpen, isTypingTarget, SHORTCUTS, useWindowKeydown } from '../../app/keyboard';
import { navigate, routeHref } from '../../app/router';
import { useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import type { PagesToReview } from './review-flag';
import './ocr.css';

/**
 * "Cần kiểm tra: 3 trang": opens the next page of the dossier whose recognized text needs
 * checking, and so does N wherever it shows (the dossier and the page view); nothing while no page
 * needs it.
 */
export function ToReviewLink({ toReview }: { toReview: PagesToReview }) {
  const t = useT();
  useWindowKeydown((e) => {
    if (toReview.nextId === undefined || (e.key !== 'n' && e.key !== 'N')) return;
    if (isTypingTarget(e.target) || isModalOpen() || hasCommandKey(e) || e.altKey || e.shiftKey) return;
    e.preventDefault();
    navigate({ name: 'page', id: toReview.nextId });
  });
  if (toReview.nextId === undefined) return null;
  return (
    <a
      className="btn btn--small to-review-link"
      href={routeHref({ name: 'page', id: toReview.nextId })}
      title={`${t('page.toReviewNext')} (${SHORTCUTS.nextToReview})`}
      data-testid="next-to-review"
    >
      <Icon name="alert" size={14} />
      {t('page.toReview', { n: toReview.remaining })}
    </a>
  );
}
