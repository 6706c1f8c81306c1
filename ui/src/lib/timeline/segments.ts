// A message's text split into plain pieces and links. Rendered with {text} interpolation
// only, so HTML or script in a message shows literally; a link becomes an <a> only for an
// http(s) URL, and its href is the parsed URL, never raw markup.

export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that usually ends a sentence rather than a URL.
const TRAILING = '.,;:!?»"\'';
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** Cuts trailing punctuation off a URL candidate, keeping a closing bracket whose pair is inside. */
export function trimUrl(candidate: string): string {
  let url = candidate;
  while (url.length > 0) {
    const last = url[url.length - 1];
    const open = PAIRS[last];
    if (TRAILING.includes(last) || (open !== undefined && count(url, open) < count(url, last))) {
      url = url.slice(0, -1);
    } else {
      break;
    }
  }
  return url;
}

/** The safe href for a URL candidate: only http: and https:, else null. */
export function safeHref(candidate: string): string | null {
  try {
    const u = new URL(candidate);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.href;
  } catch {
    return null;
  }
}

/** Splits text into text and link segments; concatenating every `text` gives back the input. */
export function toSegments(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  URL_RE.lastIndex = 0;
  for (let m = URL_RE.exec(text); m; m = URL_RE.exec(text)) {
    const url = trimUrl(m[0]);
    const href = safeHref(url);
    if (!href) continue;
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: 'link', text: url, href });
    last = m.index + url.length;
    URL_RE.lastIndex = last;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}
