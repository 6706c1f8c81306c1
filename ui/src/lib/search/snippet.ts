// A search hit's snippet arrives as (text, matched) pieces; these become text nodes and
// <mark> elements with text children, never HTML.

export interface SnippetPart {
  text: string;
  mark: boolean;
}

/** Normalises the pieces: drops empty ones and joins neighbours of the same kind. */
export function snippetParts(snippet: ReadonlyArray<readonly [string, boolean]>): SnippetPart[] {
  const out: SnippetPart[] = [];
  for (const [text, mark] of snippet) {
    if (!text) continue;
    const prev = out[out.length - 1];
    if (prev && prev.mark === mark) prev.text += text;
    else out.push({ text, mark });
  }
  return out;
}

/** The snippet's plain text (for an ARIA label). */
export function snippetText(snippet: ReadonlyArray<readonly [string, boolean]>): string {
  return snippet.map(([text]) => text).join('');
}
