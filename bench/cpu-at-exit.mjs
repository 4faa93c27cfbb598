// Preloaded by bench/startup.mjs (`node --import`): prints this process's CPU time (user +
// system, all threads) to fd 3 at exit, a figure less bent by a loaded machine than wall time.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const u = process.cpuUsage();
  try {
    writeSync(3, `${(u.user + u.system) / 1000}\n`);
  } catch {
    // not started by startup.mjs: no fd 3
  }
});
