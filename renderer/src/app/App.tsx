import { useEffect, useMemo, useState } from 'react';
import type { Dossier } from '../../../shared/api/contract';
import { api, useApiEvent, useCall, useDebouncedCallback } from '../api';
import { DossierList } from '../features/dossiers/DossierList';
import { DossierView } from '../features/dossiers/DossierView';
import { ApprovalQueue } from '../features/approval/ApprovalQueue';
import { AuthGate } from '../features/auth/AuthGate';
import { useHasPermission, useMayCall } from '../features/auth/session';
import { UserMenu } from '../features/auth/UserMenu';
import { AdminScreen } from '../features/checklist/AdminScreen';
import { EMPTY_DRAFT, NewDossierForm, type DossierDraft } from '../features/dossiers/NewDossierForm';
import { ShortcutHelp } from '../features/help/ShortcutHelp';
import { OcrQueueIndicator } from '../features/ocr/OcrQueueIndicator';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { PageView } from '../features/pages/PageView';
import { PrivacyScreen } from '../features/privacy/PrivacyScreen';
import { ReportsScreen } from '../features/reports/ReportsScreen';
import { SearchBox } from '../features/search/SearchBox';
import { useT } from '../i18n';
import { Icon } from '../ui/icons';
import { Notice } from '../ui/Notice';
import { hasCommandKey, isModalOpen, isTypingTarget, SHORTCUTS, useWindowKeydown, withShortcut } from './keyboard';
import { LanguageSwitch } from './LanguageSwitch';
import { useDossierOnScreen } from './useDossierOnScreen';
import { navigate, useRoute } from './router';

/** Nothing renders before sign-in (or the first run's administrator set-up). */
export function App() {
  return (
    <AuthGate>
      <Workspace />
    </AuthGate>
  );
}

function Workspace() {
  const t = useT();
  const route = useRoute();
  // Hidden rather than refused: the backend checks every call anyway.
  const mayCreateDossier = useMayCall('dossiers.create');
  const mayAdminister = useHasPermission('settings.admin', 'catalog.admin', 'users.admin');
  // Supervisors read the indicators; postal operators their own workload, on the same screen.
  const mayReadIndicators = useMayCall('reports.indicators');
  const mayReadWorkload = useMayCall('reports.postalWorkload');
  const mayReadReports = mayReadIndicators || mayReadWorkload;
  // Purge report (postal, supervisors, admins) and citizens' requests (supervisors, admins).
  const mayPurgeReport = useMayCall('privacy.purgeReport');
  const mayCitizenRequests = useMayCall('privacy.listRequests');
  const mayPrivacy = mayPurgeReport || mayCitizenRequests;
  const [draft, setDraft] = useState<DossierDraft>(EMPTY_DRAFT);
  const [focusNew, setFocusNew] = useState(0);
  const [helpOpen, setHelpOpen] = useState(false);
  const [pageDossierId, setPageDossierId] = useState<string | null>(null);
  // Scans arriving in the hot folder go into the dossier on screen (or a page's dossier); the page
  // on screen, then that dossier's pages, are recognized first.
  useDossierOnScreen(
    route.name === 'dossier' ? route.id : route.name === 'page' ? pageDossierId : null,
    route.name === 'page' ? route.id : null,
  );

  const dossiers = useCall('dossiers.list', { limit: 200 });
  const refreshDossiers = useDebouncedCallback(dossiers.reload, 300);
  useApiEvent('dossier.changed', refreshDossiers);
  useApiEvent('workflow.changed', refreshDossiers);
  useApiEvent('ocr.reviewed', refreshDossiers);
  useApiEvent('ocr.progress', (e) => {
    // A dossier's status follows its pages' OCR.
    if (e.status === 'done' || e.status === 'failed') refreshDossiers();
  });

  const dossierCodes = useMemo(
    () => new Map((dossiers.data ?? []).map((d) => [d.id, d.code] as const)),
    [dossiers.data],
  );

  function startNewDossier() {
    if (!mayCreateDossier) return;
    navigate({ name: 'new' });
    setFocusNew((n) => n + 1);
  }

  function onCreated(dossier: Dossier) {
    setDraft(EMPTY_DRAFT);
    dossiers.reload();
    navigate({ name: 'dossier', id: dossier.id });
  }

  // A file dropped outside the page area, or Ctrl+O outside a dossier, must not make the browser
  // open the file in place of the app.
  useEffect(() => {
    const keepFilesInApp = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', keepFilesInApp);
    window.addEventListener('drop', keepFilesInApp);
    return () => {
      window.removeEventListener('dragover', keepFilesInApp);
      window.removeEventListener('drop', keepFilesInApp);
    };
  }, []);

  useWindowKeydown((e) => {
    if (hasCommandKey(e) && e.key.toLowerCase() === 'o') e.preventDefault();
    if (e.defaultPrevented) return;
    const key = e.key.toLowerCase();
    if (
      (hasCommandKey(e) && !e.altKey && !e.shiftKey && key === 'n') ||
      (e.altKey && !hasCommandKey(e) && key === 'n')
    ) {
      e.preventDefault();
      if (!isModalOpen()) startNewDossier();
      return;
    }
    if (isModalOpen()) return;
    if (e.key === '?' && !isTypingTarget(e.target)) {
      e.preventDefault();
      setHelpOpen(true);
      return;
    }
    if (e.key === 'Escape') {
      if (route.name === 'page') {
        e.preventDefault();
        const back = pageDossierId;
        if (back) navigate({ name: 'dossier', id: back });
        else navigate({ name: 'new' });
      } else if (route.name === 'dossier' && !isTypingTarget(e.target)) {
        e.preventDefault();
        navigate({ name: 'new' });
      } else if (isTypingTarget(e.target) && e.target instanceof HTMLElement) {
        e.target.blur();
      }
    }
  });

  const activeDossierId = route.name === 'dossier' ? route.id : route.name === 'page' ? pageDossierId : null;

  return (
    <div className="app" data-host={api.host}>
      <header className="topbar">
        <a className="brand" href="#/" data-testid="app-title" title={t('app.tagline')}>
          <span className="brand__mark" aria-hidden="true">
            SH
          </span>
          <span className="brand__text">
            <span className="brand__name">{t('app.name')}</span>
            <span className="brand__tagline">{t('app.tagline')}</span>
          </span>
        </a>
        <SearchBox dossierCodes={dossierCodes} />
        <div className="topbar__right">
          <OcrQueueIndicator />
          <SyncIndicator />
          <LanguageSwitch />
          <UserMenu />
          <button
            type="button"
            className="icon-btn icon-btn--bar"
            onClick={() => setHelpOpen(true)}
            title={withShortcut(t('help.button'), SHORTCUTS.help)}
            aria-label={t('help.button')}
            data-testid="help-button"
          >
            <Icon name="keyboard" size={18} />
          </button>
        </div>
      </header>
      <aside className="sidebar">
        {mayCreateDossier ? (
          <div className="sidebar__actions">
            <button
              type="button"
              className="btn btn--primary btn--block"
              onClick={startNewDossier}
              title={withShortcut(t('dossiers.new'), SHORTCUTS.newDossier, SHORTCUTS.newDossierAlt)}
              data-testid="new-dossier-button"
            >
              <Icon name="plus" />
              {t('dossiers.new')}
              {/* A browser keeps Ctrl+N for itself; the desktop app gets it. */}
              <span className="btn__hint">
                {api.host === 'browser' ? SHORTCUTS.newDossierAlt : SHORTCUTS.newDossier}
              </span>
            </button>
          </div>
        ) : null}
        <nav className="sidebar__nav" aria-label={t('nav.workflow')}>
          <a
            className={`btn btn--ghost btn--small${route.name === 'approval' ? ' btn--pressed' : ''}`}
            href="#/approval"
            data-testid="nav-approval"
          >
            {t('nav.approval')}
          </a>
          {mayAdminister ? (
            <a
              className={`btn btn--ghost btn--small${route.name === 'admin' ? ' btn--pressed' : ''}`}
              href="#/admin"
              data-testid="nav-admin"
            >
              {t('nav.admin')}
            </a>
          ) : null}
          {mayReadReports ? (
            <a
              className={`btn btn--ghost btn--small${route.name === 'reports' ? ' btn--pressed' : ''}`}
              href="#/reports"
              data-testid="nav-reports"
            >
              {t('nav.reports')}
            </a>
          ) : null}
          {mayPrivacy ? (
            <a
              className={`btn btn--ghost btn--small${route.name === 'privacy' ? ' btn--pressed' : ''}`}
              href="#/privacy"
              data-testid="nav-privacy"
            >
              {t('nav.privacy')}
            </a>
          ) : null}
        </nav>
        <DossierList dossiers={dossiers.data} error={dossiers.error} activeId={activeDossierId} />
      </aside>
      <main className="main" id="main">
        {route.name === 'new' ? (
          mayCreateDossier ? (
            <NewDossierForm draft={draft} onDraftChange={setDraft} onCreated={onCreated} focusRequest={focusNew} />
          ) : (
            // A supervisor receives no dossiers: the approval queue is their home screen.
            <ApprovalQueue />
          )
        ) : route.name === 'dossier' ? (
          <DossierView key={route.id} id={route.id} />
        ) : route.name === 'approval' ? (
          <ApprovalQueue />
        ) : route.name === 'reports' ? (
          <ReportsScreen />
        ) : route.name === 'privacy' ? (
          <PrivacyScreen />
        ) : route.name === 'admin' ? (
          mayAdminister ? (
            <AdminScreen />
          ) : (
            <div className="content-pad">
              <Notice tone="warning" testId="no-access">
                {t('auth.noAccess')}
              </Notice>
            </div>
          )
        ) : (
          <PageView id={route.id} query={route.q} onDossier={setPageDossierId} />
        )}
      </main>
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} browserMode={api.host === 'browser'} />
    </div>
  );
}
