/**
 * uPlot's script and stylesheet, read from the installed `uplot` package when a page is
 * generated and inlined into it: the page needs no network when opened.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Assets {
  uplot_js: string;
  uplot_css: string;
}

let cached: Assets | undefined;

export function loadAssets(): Assets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const js = require.resolve('uplot/dist/uPlot.iife.min.js');
  const css = require.resolve('uplot/dist/uPlot.min.css');
  cached = { uplot_js: readFileSync(js, 'utf8'), uplot_css: readFileSync(css, 'utf8') };
  return cached;
}
