import type { Browser } from 'playwright-core';
export declare const CHROMIUM_ARGS: string[];
export declare function chromiumPath(): string | null;
export declare function launchChromium(): Promise<{ ok: true; browser: Browser } | { ok: false; reason: string }>;
