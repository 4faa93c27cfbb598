// `npm run report:screenshots`: builds the quickstart report and a compare report (the
// quickstart under async:lww, async:hlc and raft:lease, as `replsim compare --html` writes
// it) and screenshots them in headless Chromium into docs/img/, for the docs chapters.
// Needs dist/ (the npm script builds it first).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, runScenario } from '../dist/index.js';
import { renderRunHtml } from '../dist/report/html/index.js';
import { comparePage } from '../dist/report/html/compare-page.js';
import { parseEngineSettings } from '../dist/compare/settings.js';
import { launchChromium } from './chromium.mjs';

const OUT = 'docs/img';
const QUICKSTART = 'scenarios/quickstart.yaml';

function run(text, name) {
  const parsed = parseScenario(text, name);
  if (!parsed.ok) throw new Error(`${name}: ${parsed.errors.map((e) => e.message).join('; ')}`);
  const o = runScenario(parsed.scenario, { keepHistory: true });
  if (!o.ok) throw new Error(`${name}: ${o.error}`);
  return { scenario: parsed.scenario, source: text, result: o.result, history: o.history };
}

const launched = await launchChromium();
if (!launched.ok) {
  console.error(`report:screenshots: ${launched.reason}`);
  process.exit(2);
}
const browser = launched.browser;
const dir = mkdtempSync(join(tmpdir(), 'replsim-shots-'));
mkdirSync(OUT, { recursive: true });
try {
  const base = readFileSync(QUICKSTART, 'utf8');
  const quick = join(dir, 'quickstart.html');
  writeFileSync(quick, renderRunHtml(run(base, QUICKSTART)));

  // What `replsim compare scenarios/quickstart.yaml --engine async:lww,async:hlc,raft:lease --html F` writes.
  const settings = parseEngineSettings(['async:lww,async:hlc,raft:lease']);
  if (!settings.ok) throw new Error(settings.error);
  const cmp = comparePage(QUICKSTART, settings.settings);
  if (!cmp.ok) throw new Error(cmp.error);
  const compare = join(dir, 'compare.html');
  writeFileSync(compare, cmp.html);

  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`file://${quick}`);
  await page.waitForSelector('body[data-ready="true"]');
  // Zoom the diagram onto a lost update, as a reader clicking the anomaly would.
  await page.locator('.family[data-name="lost_update"] .witness').first().click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(OUT, 'quickstart-report.png'), clip: { x: 0, y: 0, width: 1400, height: 1350 }, fullPage: true });

  await page.goto(`file://${compare}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.screenshot({ path: join(OUT, 'compare-report.png'), clip: { x: 0, y: 0, width: 1400, height: 1250 }, fullPage: true });
  console.log(`wrote ${join(OUT, 'quickstart-report.png')} and ${join(OUT, 'compare-report.png')}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
