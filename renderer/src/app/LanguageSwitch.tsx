import { LANGS, useLang, useT } from '../i18n';

/** VI | EN; the choice is kept in localStorage. */
export function LanguageSwitch() {
  const t = useT();
  const [lang, setLang] = useLang();
  return (
    <div className="segmented" role="group" aria-label={t('lang.label')} data-testid="lang-switch">
      {LANGS.map((l) => (
        <button
          key={l}
          type="button"
          className={`segmented__item${l === lang ? ' segmented__item--on' : ''}`}
          aria-pressed={l === lang}
          title={t(l === 'vi' ? 'lang.viTitle' : 'lang.enTitle')}
          lang={l}
          data-testid={`lang-${l}`}
          onClick={() => setLang(l)}
        >
          {t(l === 'vi' ? 'lang.vi' : 'lang.en')}
        </button>
      ))}
    </div>
  );
}
