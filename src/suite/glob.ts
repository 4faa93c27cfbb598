/**
 * A small glob matcher for `--exclude`: `*` (any run of characters except `/`), `**` (any run
 * including `/`), `?` (one character except `/`). Patterns match a whole path; a pattern with
 * no `/` also matches the file's base name, so `--exclude partition-2h.yaml` works from any
 * directory.
 */

/** The regular expression for one glob pattern. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` also matches nothing, so `a/**/b` matches `a/b`.
        const slash = pattern[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Whether `path` (posix separators) matches any of the patterns. */
export function matchesAny(path: string, patterns: readonly string[]): boolean {
  const posix = path.split('\\').join('/').replace(/^\.\//, '');
  const base = posix.slice(posix.lastIndexOf('/') + 1);
  return patterns.some((p) => {
    const re = globToRegExp(p.replace(/^\.\//, ''));
    return re.test(posix) || (!p.includes('/') && re.test(base));
  });
}
