import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import { formatMoney, formatNumber, formatUnread } from './format';
import { UNREAD_COUNT_CAP } from '../ipc/bindings/constants';
import { interpolate } from './i18n.svelte';
import ru from './ru.json';
import tt from './tt.json';

const SRC = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('locale files', () => {
  it('have every Russian key in English and Tatar, and no extra ones', () => {
    for (const other of [en, tt] as Record<string, string>[]) {
      expect(Object.keys(other).filter((k) => !(k in ru))).toEqual([]);
      expect(Object.keys(ru).filter((k) => !(k in other))).toEqual([]);
    }
  });

  it('have no empty strings and keep the same placeholders', () => {
    const names = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');
    for (const [key, text] of Object.entries(ru as Record<string, string>)) {
      expect(text, key).not.toBe('');
      expect(names((en as Record<string, string>)[key]), `en ${key}`).toBe(names(text));
      expect(names((tt as Record<string, string>)[key]), `tt ${key}`).toBe(names(text));
    }
  });

  it('hold every key the code asks for', () => {
    const used = new Set<string>();
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\('([\w.]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/\btn\('([\w.]+)'/g)) used.add(`${m[1]}_other`);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !(k in ru))).toEqual([]);
  });

  it('are really translated: Tatar is not a copy of Russian', () => {
    const t = tt as Record<string, string>;
    expect(t['chats.title']).toBe('Чатлар');
    expect(t['composer.send']).toBe('Җибәрү');
    expect(t['search.open']).toBe('Эзләү');
    expect(en['chats.title']).toBe('Chats');
  });
});

describe('formatting', () => {
  it('fills placeholders', () => {
    expect(interpolate('кв. {flat}', { flat: '12' })).toBe('кв. 12');
    expect(interpolate('{a} {b}', { a: 1 })).toBe('1 {b}');
  });

  it('formats numbers and money through Intl for the locale', () => {
    expect(formatNumber('ru', 100000).replace(/\s/g, ' ')).toBe('100 000');
    expect(formatNumber('en', 100000)).toBe('100,000');
    expect(formatMoney('ru', 123450).replace(/\s/g, ' ')).toBe('1 234,50 ₽');
  });

  it('shows unread counts up to the cap the cache counts to, then 999+', () => {
    expect(formatUnread('ru', 7)).toBe('7');
    expect(formatUnread('ru', 999)).toBe('999');
    expect(formatUnread('ru', UNREAD_COUNT_CAP)).toBe('999+');
  });
});
