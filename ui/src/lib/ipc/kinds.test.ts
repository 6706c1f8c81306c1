// Every kind of failure is worded in each language, and the locale files word no kind that
// is not in the list.
import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import ru from '../i18n/ru.json';
import tt from '../i18n/tt.json';
import { ERROR_CODES, ERROR_KINDS, errorCodeKey, errorTextKey, isErrorKind } from './kinds';

const LOCALES: Record<string, Record<string, string>> = { ru, tt, en };

describe('error kinds', () => {
  it('each have a text in ru, tt and en', () => {
    expect(ERROR_KINDS.length).toBeGreaterThanOrEqual(12);
    for (const kind of ERROR_KINDS) {
      for (const [locale, messages] of Object.entries(LOCALES)) {
        const text = messages[errorTextKey(kind)];
        expect(text, `${locale}: ${kind}`).toBeTruthy();
        expect(text.trim(), `${locale}: ${kind}`).not.toBe('');
      }
    }
  });

  it('and each code the UI words itself, with the same named values in every language', () => {
    for (const code of ERROR_CODES) {
      const key = errorCodeKey(code) ?? '';
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [locale, messages] of Object.entries(LOCALES)) {
        expect(messages[key], `${locale}: ${code}`).toBeTruthy();
        expect(names(messages[key]), `${locale}: ${code}`).toEqual(names(ru[key as keyof typeof ru]));
      }
    }
    expect(errorCodeKey('some_server_code')).toBeNull();
  });

  it('are the only error texts the locale files hold', () => {
    const keys = new Set<string>([...ERROR_KINDS.map(errorTextKey), ...ERROR_CODES.map((c) => `error.code.${c}`)]);
    for (const [locale, messages] of Object.entries(LOCALES)) {
      const stray = Object.keys(messages).filter((k) => k.startsWith('error.') && !keys.has(k));
      expect(stray, locale).toEqual([]);
    }
  });

  it('word an unknown kind as an internal failure', () => {
    expect(isErrorKind('rate_limited')).toBe(true);
    expect(isErrorKind('toString')).toBe(false);
    expect(errorTextKey('no_such_kind')).toBe('error.internal');
    expect(errorTextKey('constructor')).toBe('error.internal');
    expect(errorTextKey('network')).toBe('error.network');
  });
});
