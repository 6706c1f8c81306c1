// Icons are SVG, never characters: an emoji or symbol glyph used as an icon shows as an empty
// box where the system lacks a font for it. Chat text may hold emoji; the UI's own sources may not.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '..');
/** Files whose emoji are content a person sends, as in chat text, not icons: the reactions. */
const CONTENT = new Set(['lib/timeline/reactions.ts']);

/** Pictographs, arrows, technical and geometric symbols, dingbats, and the midline ellipsis. */
const GLYPH = /[\p{Extended_Pictographic}\u2190-\u21FF\u22EF\u2300-\u23FF\u2500-\u27BF\u2900-\u297F\u2B00-\u2BFF]/u;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(svelte|ts|css|json|html)$/.test(name) && !name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('icons', () => {
  it('are drawn, not typed: no emoji or symbol glyphs in the UI sources or strings', () => {
    const found: string[] = [];
    for (const file of [...files(SRC), join(SRC, '..', 'index.html')]) {
      if (CONTENT.has(relative(SRC, file))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const m = line.match(GLYPH);
          if (m) found.push(`${relative(SRC, file)}:${i + 1}: ${m[0]}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('would catch the glyphs that used to stand in for icons', () => {
    for (const glyph of ['🔍', '✕', '⋯', '🔔', '📌', '✓', '→']) expect(GLYPH.test(glyph), glyph).toBe(true);
    for (const text of ['Закрыть', '1 234,50 ₽', 'м²', '«Домком» — чат…', '24 × 24']) expect(GLYPH.test(text), text).toBe(false);
  });
});
