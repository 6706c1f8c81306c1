import { describe, expect, it } from 'vitest';
import { notifyWords } from './notify';

describe('notification words', () => {
  it('are in each language, with the places for the values kept', () => {
    const ru = notifyWords('ru');
    for (const locale of ['tt', 'en'] as const) {
      const words = notifyWords(locale);
      expect(words.emergency).not.toBe(ru.emergency);
      expect(words.meters_title).not.toBe(ru.meters_title);
    }
    for (const locale of ['ru', 'tt', 'en'] as const) {
      const words = notifyWords(locale);
      expect(words.overdue).toContain('{n}');
      expect(words.meters_body).toContain('{to}');
      expect(words.meters_body).toContain('{count}');
      expect(Object.values(words).every((w) => w.trim() !== '' && !w.startsWith('notify.'))).toBe(true);
    }
  });
});
