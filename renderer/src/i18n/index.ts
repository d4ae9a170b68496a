export { I18nProvider, LANGS, errorText, format, useErrorText, useFormatters, useLang, useT } from './i18n';
export type { Lang, Params, Translate } from './i18n';
export type { MessageKey } from './messages';
