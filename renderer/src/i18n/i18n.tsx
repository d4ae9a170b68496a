import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppError } from '../../../shared/api/errors';
import { en, vi, type MessageKey, type Messages } from './messages';

export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[] = ['vi', 'en'];
const STORAGE_KEY = 'sohoa.lang';
const dictionaries: Record<Lang, Messages> = { vi, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/**
 * Fills `{name}` with a parameter. `{name|one|other}` is an English plural: `one` when the value is
 * 1, else `other`, each with `#` standing for the value ("{n|# page|# pages}"). Vietnamese nouns do
 * not change with the count, so only English texts use it.
 */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(
    /\{(\w+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g,
    (whole, name: string, one: string | undefined, other: string | undefined) => {
      if (!Object.prototype.hasOwnProperty.call(params, name)) return whole;
      const value = params[name];
      if (one === undefined || other === undefined) return String(value);
      return (value === 1 ? one : other).replaceAll('#', String(value));
    },
  );
}

function readStoredLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(readStoredLang);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Storage may be unavailable (private mode); the choice then lasts for this session.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<I18nValue>(() => {
    const dict = dictionaries[lang];
    return { lang, setLang, t: (key, params) => format(dict[key], params) };
  }, [lang, setLang]);

  return <I18nContext value={value}>{children}</I18nContext>;
}

function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useT must be used inside <I18nProvider>');
  return value;
}

/** The translate function for the current language. */
export function useT(): Translate {
  return useI18n().t;
}

export function useLang(): [Lang, (lang: Lang) => void] {
  const { lang, setLang } = useI18n();
  return [lang, setLang];
}

/** An AppError's text in the current language: Vietnamese `message`, else `messageEn ?? message`. */
export function errorText(error: Pick<AppError, 'message' | 'messageEn'>, lang: Lang): string {
  return lang === 'vi' ? error.message : (error.messageEn ?? error.message);
}

export function useErrorText(): (error: Pick<AppError, 'message' | 'messageEn'>) => string {
  const { lang } = useI18n();
  return useCallback((error) => errorText(error, lang), [lang]);
}

/** Dates and numbers in the current language's conventions. */
export function useFormatters(): {
  dateTime: (iso: string) => string;
  /** A moment as clocks in Vietnam show it, whatever the computer's zone (legal deadlines). */
  vietnamDateTime: (iso: string) => string;
  /** A calendar day `YYYY-MM-DD`, shown without any time-zone shift. */
  date: (isoDay: string) => string;
  percent: (fraction: number) => string;
} {
  const { lang } = useI18n();
  return useMemo(() => {
    const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
    const moment = {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    } as const;
    const dt = new Intl.DateTimeFormat(locale, moment);
    const vietnam = new Intl.DateTimeFormat(locale, { ...moment, timeZone: 'Asia/Ho_Chi_Minh', hourCycle: 'h23' });
    const day = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
    const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    return {
      dateTime: (iso) => {
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : dt.format(d);
      },
      vietnamDateTime: (iso) => {
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : vietnam.format(d);
      },
      date: (isoDay) => {
        const d = new Date(`${isoDay}T00:00:00Z`);
        return Number.isNaN(d.getTime()) ? isoDay : day.format(d);
      },
      percent: (fraction) => pct.format(fraction),
    };
  }, [lang]);
}
