import { describe, expect, it } from 'vitest';
import { safeHref, toSegments, trimUrl } from './segments';

describe('toSegments', () => {
  it('keeps plain text as one text segment', () => {
    expect(toSegments('Лифт во 2 подъезде не работает')).toEqual([{ kind: 'text', text: 'Лифт во 2 подъезде не работает' }]);
  });

  it('turns http(s) URLs into links and keeps the text around them', () => {
    const s = toSegments('График: https://uk.example.ru/grafik?d=1, звоните.');
    expect(s).toEqual([
      { kind: 'text', text: 'График: ' },
      { kind: 'link', text: 'https://uk.example.ru/grafik?d=1', href: 'https://uk.example.ru/grafik?d=1' },
      { kind: 'text', text: ', звоните.' },
    ]);
  });

  it('gives back the input when the pieces are joined', () => {
    const text = 'a http://x.ru/(b) c (https://y.ru/z). <b>d</b>';
    expect(toSegments(text).map((s) => s.text).join('')).toBe(text);
  });

  it('leaves HTML and script as text, with no link made of it', () => {
    for (const text of ['<img src=x onerror="window.__xss=1">', '<script>window.__xss=1</script>', '<a href="javascript:alert(1)">x</a>']) {
      expect(toSegments(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<script>1</script>', 'ftp://x.ru']) {
      expect(toSegments(text).every((s) => s.kind === 'text')).toBe(true);
    }
  });

  it('does not let a quote or angle bracket end up inside a link', () => {
    const s = toSegments('<a href="https://evil.example/x">click</a>');
    const link = s.find((x) => x.kind === 'link');
    expect(link).toEqual({ kind: 'link', text: 'https://evil.example/x', href: 'https://evil.example/x' });
  });

  it('finds several links', () => {
    expect(toSegments('https://a.ru и https://b.ru').filter((s) => s.kind === 'link')).toHaveLength(2);
  });
});

describe('trimUrl and safeHref', () => {
  it('drops sentence punctuation but keeps balanced brackets', () => {
    expect(trimUrl('https://x.ru/a.')).toBe('https://x.ru/a');
    expect(trimUrl('https://x.ru/a)')).toBe('https://x.ru/a');
    expect(trimUrl('https://ru.wikipedia.org/wiki/Казань_(значения)')).toBe('https://ru.wikipedia.org/wiki/Казань_(значения)');
  });

  it('accepts only http and https', () => {
    expect(safeHref('https://x.ru')).toBe('https://x.ru/');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });
});
