import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import MessageText from '../timeline/MessageText.svelte';
import Snippet from './Snippet.svelte';
import { snippetParts, snippetText } from './snippet';

describe('snippetParts', () => {
  it('drops empty pieces and joins neighbours of a kind', () => {
    expect(
      snippetParts([
        ['Не работает ', false],
        ['', true],
        ['лифт', true],
        [' во ', false],
        ['2', false],
      ]),
    ).toEqual([
      { text: 'Не работает ', mark: false },
      { text: 'лифт', mark: true },
      { text: ' во 2', mark: false },
    ]);
    expect(snippetText([['a', false], ['b', true]])).toBe('ab');
  });
});

describe('rendering', () => {
  it('marks matches with <mark> and escapes everything', () => {
    const { body } = render(Snippet, {
      props: {
        snippet: [
          ['<script>window.__xss=1</script> ', false],
          ['лифт', true],
          [' <img src=x onerror="window.__xss=1">', false],
        ],
      },
    });
    expect(body).toContain('<mark');
    expect(body).toMatch(/<mark[^>]*>лифт<\/mark>/);
    expect(body).not.toContain('<script>');
    expect(body).not.toContain('<img');
    expect(body).toContain('&lt;script>');
  });

  it('renders a message holding HTML as text, and links as <a> with an http(s) href only', () => {
    const { body } = render(MessageText, {
      props: { text: '<img src=x onerror="window.__xss=1"> см. https://uk.example.ru/a и javascript:alert(1)' },
    });
    expect(body).not.toContain('<img');
    expect(body).toContain('&lt;img');
    expect(body).toMatch(/<a[^>]*href="https:\/\/uk\.example\.ru\/a"[^>]*>https:\/\/uk\.example\.ru\/a<\/a>/);
    expect(body).not.toMatch(/href="javascript/);
  });
});
