/** Writes a page under a temporary name and renames it, so a reader never sees half a file. */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/** Returns an error message, or null when written. */
export function writeFileAtomic(path: string, text: string): string | null {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
    return null;
  } catch (e) {
    rmSync(tmp, { force: true });
    return `cannot write ${path}: ${(e as Error).message}`;
  }
}
