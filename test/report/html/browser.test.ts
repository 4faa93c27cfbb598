/**
 * Opens generated reports in headless Chromium (playwright-core driving the system browser):
 * no console errors, one lane per node, the anomaly list counts what `--json` counts, and a
 * click on an anomaly highlights its ops on the diagram. Skips, saying why, only when no
 * browser can be launched.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { memoryIo } from '../../../src/cli/io.js';
import { renderCompareHtml } from '../../../src/report/html/index.js';
import type { RunResult } from '../../../src/run/result.js';
import { runScenario } from '../../../src/run/run.js';
import { parseScenario } from '../../../src/scenario/load.js';
import { launchChromium } from '../../../scripts/chromium.mjs';

let browser: Browser | null = null;
let skipReason = '';
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'replsim-report-'));
  const launched = await launchChromium();
  if (launched.ok) browser = launched.browser;
  else {
    skipReason = `HTML report browser test skipped: ${launched.reason}`;
    console.warn(skipReason);
  }
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens a page, collecting console errors and uncaught exceptions. */
async function open(file: string): Promise<{ page: Page; errors: string[] }> {
  if (!browser) throw new Error('no browser');
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) errors.push(`network request: ${r.url()}`);
  });
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page, errors };
}

/** Clicks the first witness of each family that has ops and checks the diagram highlights them. */
async function checkHighlights(page: Page, scope: string, result: RunResult): Promise<number> {
  let checked = 0;
  for (const [name, a] of Object.entries(result.anomalies)) {
    const w = a.witnesses.find((x) => x.ops.length > 0);
    if (!w) continue;
    const item = page.locator(`${scope} [data-role=anomalies] .family[data-name="${name}"] .witness`).nth(a.witnesses.indexOf(w));
    await item.click();
    const diagram = page.locator(`${scope} [data-role=diagram]`);
    expect(await diagram.getAttribute('data-highlight-ops')).toBe(w.ops.join(' '));
    expect(Number(await diagram.getAttribute('data-highlight-drawn'))).toBe(new Set(w.ops).size);
    expect(await item.getAttribute('data-selected')).toBe('true');
    expect(await diagram.getAttribute('data-focus-key')).toBe(w.key ?? '');
    expect(await page.locator(`${scope} [data-role=caption]`).textContent()).toContain(w.explanation);
    // the view zoomed in around the witness
    const [t0, t1] = ((await diagram.getAttribute('data-view')) ?? '').split(' ').map(Number);
    expect((t1 as number) - (t0 as number)).toBeLessThan(70_000_000);
    checked++;
  }
  return checked;
}

const countsOf = (r: RunResult): Record<string, string> =>
  Object.fromEntries(Object.entries(r.anomalies).map(([k, a]) => [k, a.count === null ? 'na' : String(a.count)]));

describe('HTML report in Chromium', () => {
  it('quickstart: loads cleanly, one lane per node, anomaly counts as --json, clicks highlight', async (ctx) => {
    if (!browser) return ctx.skip(skipReason);
    const file = join(dir, 'quickstart.html');
    const io = memoryIo();
    const code = await main(['run', 'scenarios/quickstart.yaml', '--json', '--html', file], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(io.stdout) as RunResult;
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(10_000);

    const { page, errors } = await open(file);
    expect(await page.locator('[data-role=diagram]').getAttribute('data-lanes')).toBe('9');
    expect(await page.locator('.lane-label').count()).toBe(9);
    expect(await page.locator('.lane-label[data-node="ap-northeast/0"] .clock').textContent()).toContain('-2 s');
    const total = Object.values(result.anomalies).reduce((n, a) => n + (a.count === null ? 0 : a.count), 0) /* null: not counted, not zero */;
    expect(await page.locator('[data-role=anomalies]').getAttribute('data-total')).toBe(String(total));
    const shown: Record<string, string> = {};
    for (const el of await page.locator('[data-role=anomalies] .family').all()) {
      shown[(await el.getAttribute('data-name')) ?? ''] = (await el.getAttribute('data-count')) ?? '';
    }
    expect(shown).toEqual(countsOf(result));
    const witnesses = Object.values(result.anomalies).reduce((n, a) => n + a.witnesses.length, 0);
    expect(await page.locator('.witness').count()).toBe(witnesses);
    expect(await page.locator('[data-role=chart]').count()).toBe(5);
    expect(await page.locator('[data-role=scenario-source]').textContent()).toBe(readFileSync('scenarios/quickstart.yaml', 'utf8'));
    expect(await checkHighlights(page, '', result)).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('replsim compare --html: a column and a tab per setting, counts as --json', async (ctx) => {
    if (!browser) return ctx.skip(skipReason);
    const file = join(dir, 'cli-compare.html');
    const io = memoryIo();
    const code = await main(['compare', 'scenarios/quickstart.yaml', '--engine', 'async:lww,async:hlc', '--workers', '0', '--json', '--html', file], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const rows = (JSON.parse(io.stdout) as { rows: Array<Record<string, unknown>> }).rows;
    const { page, errors } = await open(file);
    const header = await page.locator('[data-role=compare-table] tr').first().locator('th').allTextContents();
    expect(header).toEqual(['', 'async:lww', 'async:hlc']);
    for (const [i, row] of rows.entries()) {
      await page.locator('.tab').nth(i).click();
      for (const name of ['lost_update', 'stale_read', 'divergence']) {
        const want = row[name] === null ? 'na' : String(row[name]);
        expect(await page.locator(`[data-role=run-detail] .family[data-name="${name}"]`).getAttribute('data-count')).toBe(want);
      }
      expect(await page.locator('[data-role=run-detail] .lane-label').count()).toBe(9);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('compare page: a column per setting, overlaid charts, each setting on a tab', async (ctx) => {
    if (!browser) return ctx.skip(skipReason);
    const base = readFileSync('scenarios/quickstart.yaml', 'utf8');
    const runs = (['physical', 'hybrid'] as const).map((ts) => {
      const text = base.replace('timestamps: physical', `timestamps: ${ts}`);
      const parsed = parseScenario(text, `quickstart-${ts}.yaml`);
      if (!parsed.ok) throw new Error('scenario does not parse');
      const o = runScenario(parsed.scenario, { keepHistory: true });
      if (!o.ok || !o.history) throw new Error('scenario does not run');
      return { label: `lww ${ts}`, result: o.result, run: { scenario: parsed.scenario, source: text, result: o.result, history: o.history } };
    });
    const file = join(dir, 'compare.html');
    writeFileSync(file, renderCompareHtml({ title: 'quickstart: physical vs hybrid timestamps', runs: runs.map((r) => ({ label: r.label, run: r.run })) }));

    const { page, errors } = await open(file);
    const header = await page.locator('[data-role=compare-table] tr').first().locator('th').allTextContents();
    expect(header).toEqual(['', 'lww physical', 'lww hybrid']);
    expect(await page.locator('.charts.wide [data-role=chart]').count()).toBe(5);
    for (const [i, r] of runs.entries()) {
      await page.locator('.tab').nth(i).click();
      const scope = '[data-role=run-detail]';
      expect(await page.locator(`${scope} .lane-label`).count()).toBe(9);
      const total = Object.values(r.result.anomalies).reduce((n, a) => n + (a.count === null ? 0 : a.count), 0) /* null: not counted, not zero */;
      expect(await page.locator(`${scope} [data-role=anomalies]`).getAttribute('data-total')).toBe(String(total));
      expect(await checkHighlights(page, scope, r.result)).toBeGreaterThanOrEqual(1);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
