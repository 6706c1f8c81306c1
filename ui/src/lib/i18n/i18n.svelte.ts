// The chosen language and the translation function. Every string people see comes from
// ru.json, en.json or tt.json; Russian is the default and the fallback.
import en from './en.json';
import ru from './ru.json';
import tt from './tt.json';
import { intlLocales } from './format';

export const LOCALES = ['ru', 'en', 'tt'] as const;
export type Locale = (typeof LOCALES)[number];

type Messages = Record<string, string>;
const MESSAGES: Record<Locale, Messages> = { ru, en, tt };
const STORAGE_KEY = 'domkom.locale';

function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // storage unavailable: keep the default
  }
  return 'ru';
}

/** Replaces `{name}` placeholders with values. */
export function interpolate(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Looks a key up in a locale, falling back to Russian, then to the key itself. */
export function lookup(locale: Locale, key: string): string {
  return MESSAGES[locale][key] ?? MESSAGES.ru[key] ?? key;
}

class I18n {
  locale = $state<Locale>(initialLocale());

  /** Sets the language, remembers it, and tells assistive tech via `<html lang>`. */
  setLocale(locale: string): void {
    if (!isLocale(locale)) return;
    this.locale = locale;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    } catch {
      // not remembered; still applied
    }
    this.applyLang();
  }

  applyLang(): void {
    if (typeof document !== 'undefined') document.documentElement.lang = this.locale;
  }

  /** The string for `key` in the chosen language. */
  t = (key: string, params?: Record<string, string | number>): string => interpolate(lookup(this.locale, key), params);

  /** A counted string: picks `key_one`, `key_few`, `key_many` or `key_other` by the locale's plural rules. */
  tn = (key: string, count: number, params?: Record<string, string | number>): string => {
    const rule = new Intl.PluralRules(intlLocales(this.locale)).select(count);
    const messages = MESSAGES[this.locale];
    const template = messages[`${key}_${rule}`] ?? messages[`${key}_other`] ?? lookup(this.locale, `${key}_other`);
    return interpolate(template, { count, ...params });
  };
}

/** The app's one i18n state. */
export const i18n = new I18n();
/** Shorthands for templates: `t('chats.title')`. */
export const t = i18n.t;
export const tn = i18n.tn;
