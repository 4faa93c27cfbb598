/**
 * Text that goes into one error line. Keys and values come from the user's file and may hold
 * line breaks (a `? |` block-scalar key), a lone `\r` (CR-only files, which a terminal reads as
 * "back to column 1" and overwrites the line with) or other control characters: escaped here
 * so every error stays one line, whatever the input.
 */

// C0 controls, DEL, C1 controls (NEL U+0085 among them) and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `s` with every control character escaped (`\n`, `\r`, `\t`, else `\u00XX`). */
export function escapeControls(s: string): string {
  return s.replace(CONTROL_RE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** At most this many errors are reported per file (schema parts stop wording more than this). */
export const MAX_ERRORS = 50;

/** Longest key or value quoted into a message before it is cut with "...". */
export const MAX_QUOTED_CHARS = 60;

/** `s` cut to `max` characters with "..." when longer. */
export function truncate(s: string, max = MAX_QUOTED_CHARS): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

/** A key as a path step: as written when it is a plain name (`us-east`, `eu-west/2`), else quoted and escaped. */
export function pathKey(k: string): string {
  // JSON.stringify escapes C0 controls and quotes; escapeControls then catches DEL, C1 and U+2028/9.
  return /^[A-Za-z0-9_][A-Za-z0-9_.\-/*]*$/.test(k) ? truncate(k) : escapeControls(JSON.stringify(truncate(k)));
}

/** A user's key or value quoted for a message: `"la\ntency"`, cut when long. */
export function quoteText(s: string): string {
  return `"${truncate(escapeControls(s)).replace(/"/g, '\\"')}"`;
}

/**
 * One line from a message of ours: line breaks between sentences become "; " and any other
 * control character is escaped.
 */
export function oneLine(s: string): string {
  return escapeControls(s.replace(/[ \t]*(\r\n|\r|\n|\u2028|\u2029)+[ \t]*/g, '; '));
}
