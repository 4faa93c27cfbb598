/**
 * Finds the scenario files under the paths given to `replsim test`: a file is taken as it
 * is, a directory is searched recursively for `*.yaml` / `*.yml` (skipping dot-directories
 * and node_modules). The list is sorted and free of duplicates, so results print in a stable
 * order whatever the file system returns.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { matchesAny } from './glob.js';

export interface DiscoverOptions {
  /** glob patterns of files to leave out (`--exclude`) */
  exclude?: readonly string[];
  /** base for relative display paths and glob matching (default: process.cwd()) */
  cwd?: string;
}

export type DiscoverResult =
  | { ok: true; files: string[]; excluded: string[] }
  | { ok: false; error: string };

/** Largest number of scenario files one run accepts (bounds the walk of a wrong directory). */
export const MAX_SCENARIO_FILES = 10_000;

const SCENARIO_EXT = /\.ya?ml$/;

/** The scenario files under `paths`, as paths relative to `cwd` when inside it. */
export function discoverScenarios(paths: readonly string[], opts: DiscoverOptions = {}): DiscoverResult {
  const cwd = opts.cwd ?? process.cwd();
  const exclude = opts.exclude ?? [];
  const found = new Set<string>();
  for (const p of paths) {
    let st;
    try {
      st = statSync(resolve(cwd, p));
    } catch {
      return { ok: false, error: `no such file or directory: ${p}` };
    }
    if (st.isDirectory()) {
      const r = walk(resolve(cwd, p), found);
      if (r) return { ok: false, error: r };
    } else if (st.isFile()) {
      found.add(resolve(cwd, p));
    } else {
      return { ok: false, error: `${p}: not a file or directory` };
    }
  }
  const shown = [...found].map((f) => display(f, cwd)).sort();
  const files = shown.filter((f) => !matchesAny(f, exclude));
  const excluded = shown.filter((f) => matchesAny(f, exclude));
  return { ok: true, files, excluded };
}

function walk(dir: string, into: Set<string>): string | undefined {
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      return `cannot read directory ${d}: ${(e as Error).message}`;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && SCENARIO_EXT.test(e.name)) {
        into.add(p);
        if (into.size > MAX_SCENARIO_FILES) return `more than ${MAX_SCENARIO_FILES} scenario files under ${dir}`;
      }
    }
  }
  return undefined;
}

function display(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  return (inside ? rel : abs).split('\\').join('/');
}
