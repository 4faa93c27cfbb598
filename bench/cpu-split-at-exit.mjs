// Preloaded by bench/mm1.bench.mjs (`node --import`): prints two CPU figures of this process
// (user + system, ms) to fd 3 at exit: the whole process, and the part after Node's own
// bootstrap (from this hook's import on: the main script, its imports and its run). The second
// compares two short scripts without the ~40 ms of start-up both pay alike, which flattens a
// ratio towards 1.
import { writeSync } from 'node:fs';

const boot = process.cpuUsage();
process.on('exit', () => {
  const u = process.cpuUsage();
  const after = process.cpuUsage(boot);
  try {
    writeSync(3, `${(u.user + u.system) / 1000} ${(after.user + after.system) / 1000}\n`);
  } catch {
    // not started with an fd 3
  }
});
