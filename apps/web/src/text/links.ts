/**
 * Finds the links in text people wrote, so they can be shown clickable. Only `http:`, `https:`
 * and `mailto:` become links (a `www.` address is taken as https); everything else, `javascript:`
 * and `data:` included, stays plain text. The result is data: the caller renders text as text.
 */

export type Segment = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

const CANDIDATE = /\b(?:https?:\/\/|mailto:|www\.)[^\s<>"'`]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'"*_~]+$/;
const CLOSERS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
const EMAIL = /^[^\s@/?#]+@[^\s@/?#]+\.[^\s@/?#]+$/;

/** Drops punctuation that ends the sentence rather than the address, and closing brackets the address did not open. */
function trimEnd(candidate: string): string {
  let text = candidate;
  for (;;) {
    const before = text;
    text = text.replace(TRAILING_PUNCTUATION, "");
    const last = text[text.length - 1];
    const opener = last ? CLOSERS[last] : undefined;
    if (opener && count(text, last!) > count(text, opener)) text = text.slice(0, -1);
    if (text === before) return text;
  }
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/** The address to link to, or undefined when the text is not a safe, complete link. */
export function safeHref(text: string): string | undefined {
  const raw = /^www\./i.test(text) ? `https://${text}` : text;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol === "http:" || url.protocol === "https:") return url.hostname.includes(".") || url.hostname === "localhost" ? url.href : undefined;
  if (url.protocol === "mailto:") return EMAIL.test(decodeURIComponent(url.pathname)) ? url.href : undefined;
  return undefined;
}

/** Splits text into plain parts and links, in order; joining every part's `text` gives the input back. */
export function splitLinks(text: string): Segment[] {
  const segments: Segment[] = [];
  let plainFrom = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index ?? 0;
    const candidate = trimEnd(match[0]);
    const href = safeHref(candidate);
    if (!href) continue;
    if (start > plainFrom) segments.push({ kind: "text", text: text.slice(plainFrom, start) });
    segments.push({ kind: "link", text: candidate, href });
    plainFrom = start + candidate.length;
  }
  if (plainFrom < text.length) segments.push({ kind: "text", text: text.slice(plainFrom) });
  return mergeText(segments);
}

function mergeText(segments: Segment[]): Segment[] {
  const merged: Segment[] = [];
  for (const segment of segments) {
    const last = merged[merged.length - 1];
    if (segment.kind === "text" && last?.kind === "text") merged[merged.length - 1] = { kind: "text", text: last.text + segment.text };
    else merged.push(segment);
  }
  return merged;
}
