// Launches the system Chromium (Debian's `chromium` package) through playwright-core, for the
// report's browser test and screenshots. Playwright gives each launch a fresh temporary
// profile (--user-data-dir) and runs it headless; the flags keep it off the network.
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The browser executable: $CHROMIUM_PATH, else the first installed candidate, else null. */
export function chromiumPath() {
  const env = process.env.CHROMIUM_PATH;
  if (env) return existsSync(env) ? env : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** `{ ok: true, browser }` or `{ ok: false, reason }`; never throws. */
export async function launchChromium() {
  const executablePath = chromiumPath();
  if (!executablePath) {
    return { ok: false, reason: `no Chromium found (tried ${process.env.CHROMIUM_PATH ?? CANDIDATES.join(', ')}); install Debian's chromium package or set CHROMIUM_PATH` };
  }
  try {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
    return { ok: true, browser };
  } catch (e) {
    return { ok: false, reason: `cannot launch ${executablePath}: ${String(e?.message ?? e).split('\n')[0]}` };
  }
}
