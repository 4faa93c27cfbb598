/**
 * The HTML report: one self-contained page per run (`renderRunHtml`) or per comparison
 * (`renderCompareHtml`). `buildRunData` reduces a run to what the page draws, so a caller
 * comparing many runs can drop each history as soon as it is reduced.
 */
export { renderRunHtml, renderCompareHtml } from './page.js';
export { buildRunData, lanesOf, anomalyGroups, type RunInput } from './extract.js';
export { writeFileAtomic } from './write.js';
export type { RunData, CompareData, Series, Detail, Lane, Band, AnomalyGroup } from './types.js';
