/**
 * The page's own script, written as one self-contained function so that it is type-checked
 * here and inlined with `Function.prototype.toString` (page.ts). It may use only its
 * parameters and browser globals: no imports, no module-level names (only types, which
 * vanish when compiled).
 *
 * It draws the space-time diagram on a <canvas> (lanes, fault bands, op spans, replication
 * arrows, density strips where ops are not embedded), lists the anomalies (a click zooms the
 * diagram to the witness and highlights its ops), plots the series with uPlot, and for a
 * compare page adds the side-by-side table and overlaid charts.
 */
import type { CompareData, RunData } from './types.js';

/** What the page embeds. */
export type PageData = { kind: 'run'; run: RunData } | { kind: 'compare'; compare: CompareData };

export function reportMain(page: PageData, uPlotLib: unknown): void {
  interface UPlotInstance {
    ctx: CanvasRenderingContext2D;
    bbox: { left: number; top: number; width: number; height: number };
    select: { left: number; width: number };
    valToPos(v: number, scale: string, canvasPixels?: boolean): number;
    posToVal(p: number, scale: string): number;
    setSelect(s: { left: number; top: number; width: number; height: number }, fire?: boolean): void;
    setSize(s: { width: number; height: number }): void;
  }
  type UPlotCtor = new (opts: object, data: Array<Array<number | null>>, target: HTMLElement) => UPlotInstance;
  const UPlot = uPlotLib as UPlotCtor;
  const PALETTE = ['#1f77b4', '#e6550d', '#2ca02c', '#9467bd', '#d62728', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];
  const BAND_FILL: Record<string, string> = {
    partition: 'rgba(220, 60, 60, 0.13)',
    isolate: 'rgba(220, 60, 60, 0.13)',
    one_way: 'rgba(220, 120, 60, 0.13)',
    slow: 'rgba(230, 180, 0, 0.16)',
    crash: 'rgba(60, 60, 60, 0.30)',
    clock: 'rgba(140, 80, 200, 0.12)',
    remove: 'rgba(90, 90, 90, 0.22)',
  };
  const app = document.getElementById('app') as HTMLElement;

  function h(tag: string, attrs: Record<string, string> = {}, ...kids: Array<Node | string>): HTMLElement {
    const e = document.createElement(tag);
    for (const k of Object.keys(attrs)) e.setAttribute(k, attrs[k] as string);
    for (const k of kids) e.append(k);
    return e;
  }

  /** Seconds text with precision fitting the span shown. */
  function fmtT(us: number, span_us = 1e9): string {
    const s = us / 1e6;
    if (span_us < 2e3) return `${s.toFixed(6)} s`;
    if (span_us < 2e5) return `${s.toFixed(4)} s`;
    if (span_us < 2e7) return `${s.toFixed(3)} s`;
    if (Math.abs(s) >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m${(s % 60).toFixed(0)}s`;
    if (Math.abs(s) >= 60) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
    return `${s.toFixed(1)} s`;
  }
  function fmtDur(us: number): string {
    const a = Math.abs(us);
    if (a === 0) return '0';
    if (a < 1e3) return `${us} µs`;
    if (a < 1e6) return `${+(us / 1e3).toFixed(3)} ms`;
    return `${+(us / 1e6).toFixed(3)} s`;
  }
  function num(x: number | null | undefined, digits = 1): string {
    return x === null || x === undefined ? 'n/a' : String(+x.toFixed(digits));
  }

  // ---------------------------------------------------------------- diagram
  interface Diagram {
    root: HTMLElement;
    setView(t0: number, t1: number): void;
    highlight(ops: number[], times_us: number[], caption?: string, key?: string | null): void;
    redraw(): void;
  }

  function makeDiagram(run: RunData): Diagram {
    const d = run.detail;
    const GUTTER = 200;
    const AXIS = 26;
    const REGION_H = 20;
    const LANE_H = 30;
    const root = h('section', { class: 'diagram', 'data-role': 'diagram', 'data-lanes': String(run.lanes.length), 'data-highlight-ops': '', 'data-highlight-drawn': '0' });
    const info = h('span', { class: 'dg-info' });
    const btn = (label: string, title: string, fn: () => void): HTMLElement => {
      const b = h('button', { type: 'button', title }, label);
      b.addEventListener('click', fn);
      return b;
    };
    const toolbar = h(
      'div',
      { class: 'dg-toolbar' },
      btn('Whole run', 'show the whole run (double-click the diagram)', () => setView(0, run.end_us)),
      btn('Zoom in', 'zoom in around the centre (or wheel)', () => zoom(0.5, 0.5)),
      btn('Zoom out', 'zoom out around the centre (or wheel)', () => zoom(2, 0.5)),
      btn('Clear highlight', 'forget the selected anomaly', () => {
        for (const x of Array.from(document.querySelectorAll('.witness[data-selected]'))) x.removeAttribute('data-selected');
        highlight([], []);
      }),
      info,
    );
    const body = h('div', { class: 'dg-body' });
    const canvas = document.createElement('canvas');
    const tip = h('div', { class: 'dg-tip', hidden: '' });
    const caption = h('p', { class: 'dg-caption', 'data-role': 'caption', hidden: '' });
    body.append(canvas, tip);
    root.append(toolbar, caption, body);

    // Vertical layout: a header row per region, then its lanes.
    const laneY: number[] = [];
    const regionRows: Array<{ region: string; y: number }> = [];
    let y = AXIS;
    run.lanes.forEach((l, i) => {
      if (i === 0 || run.lanes[i - 1]?.region !== l.region) {
        regionRows.push({ region: l.region, y });
        y += REGION_H;
      }
      laneY.push(y);
      y += LANE_H;
    });
    const height = y + 6;
    for (const r of regionRows) {
      const e = h('div', { class: 'region-label', 'data-region': r.region }, r.region);
      e.style.top = `${r.y}px`;
      body.append(e);
    }
    run.lanes.forEach((l, i) => {
      const clock = l.offset_us !== 0 || l.drift_ppm !== 0
        ? `clock ${l.offset_us > 0 ? '+' : ''}${fmtDur(l.offset_us)}${l.drift_ppm ? ` ${l.drift_ppm} ppm` : ''}`
        : '';
      const e = h('div', { class: 'lane-label', 'data-node': l.node }, h('span', { class: 'node' }, l.node), h('span', { class: 'clock' }, clock));
      e.style.top = `${laneY[i]}px`;
      e.style.height = `${LANE_H}px`;
      body.append(e);
    });

    // Applies per embedded op (sorted by op then time, so a contiguous run per op).
    const apStart = new Int32Array(d.op_id.length + 1).fill(-1);
    for (let j = d.ap_op.length - 1; j >= 0; j--) apStart[d.ap_op[j] as number] = j;
    const opIndex = new Map<number, number>();
    d.op_id.forEach((id, i) => opIndex.set(id, i));
    const fnColor = (f: string): string => (f === 'read' || f === 'get' ? '#2b7bb9' : f === 'write' || f === 'put' ? '#e07b00' : '#8e44ad');
    const isRead = d.fns.map((f) => f === 'read' || f === 'get');

    let t0 = 0;
    let t1 = run.end_us;
    let width = 800;
    let hi = new Set<number>();
    let focusKey = -1;
    let hover = -1;

    const xOf = (t: number): number => GUTTER + ((t - t0) / (t1 - t0)) * (width - GUTTER - 10);
    const tOf = (x: number): number => t0 + ((x - GUTTER) / (width - GUTTER - 10)) * (t1 - t0);

    function applyRange(i: number): [number, number] {
      const a = apStart[i] as number;
      if (a < 0) return [0, 0];
      let b = a;
      while (b < d.ap_op.length && d.ap_op[b] === i) b++;
      return [a, b];
    }

    function draw(): void {
      width = Math.max(500, body.clientWidth);
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, height);
      const right = width - 10;
      // lanes and region rows
      for (const r of regionRows) {
        ctx.fillStyle = '#eef1f5';
        ctx.fillRect(0, r.y, width, REGION_H);
      }
      run.lanes.forEach((_, i) => {
        ctx.fillStyle = i % 2 ? '#fbfbfd' : '#ffffff';
        ctx.fillRect(GUTTER, laneY[i] as number, right - GUTTER, LANE_H);
        ctx.strokeStyle = '#e3e6ea';
        ctx.beginPath();
        ctx.moveTo(GUTTER, (laneY[i] as number) + LANE_H / 2 + 0.5);
        ctx.lineTo(right, (laneY[i] as number) + LANE_H / 2 + 0.5);
        ctx.stroke();
      });
      ctx.save();
      ctx.beginPath();
      ctx.rect(GUTTER, 0, right - GUTTER, height);
      ctx.clip();
      drawAxis(ctx, right);
      drawBands(ctx);
      drawDensity(ctx);
      const drawn = drawOps(ctx);
      ctx.restore();
      const span = t1 - t0;
      const covered = d.windows.some(([a, b]) => a <= t0 && b >= t1);
      info.textContent = `${fmtT(t0, span)} – ${fmtT(t1, span)} (${fmtDur(span)}) · ${drawn.ops} ops drawn${drawn.arrowsSkipped ? ` · zoom in to see ${drawn.arrowsSkipped} replication arrows` : ` · ${drawn.arrows} replication arrows`}${covered ? '' : ` · ops embedded for ${d.embedded_ops} of ${d.total_ops}; shaded strips show activity elsewhere`}`;
      root.setAttribute('data-view', `${Math.round(t0)} ${Math.round(t1)}`);
    }

    function drawAxis(ctx: CanvasRenderingContext2D, right: number): void {
      const span = t1 - t0;
      const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 15e6, 3e7, 6e7, 12e7, 3e8, 6e8, 18e8, 36e8, 72e8];
      const target = span / Math.max(2, (right - GUTTER) / 110);
      const step = steps.find((s) => s >= target) ?? 72e8;
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
        const x = Math.round(xOf(t)) + 0.5;
        ctx.strokeStyle = '#e8e8e8';
        ctx.beginPath();
        ctx.moveTo(x, AXIS);
        ctx.lineTo(x, height);
        ctx.stroke();
        ctx.fillStyle = '#555';
        ctx.fillText(fmtT(t, span), x + 3, AXIS / 2);
      }
      // where ops are embedded: a thin bar under the axis
      ctx.fillStyle = '#7aa6d8';
      for (const [a, b] of d.windows) {
        if (b < t0 || a > t1) continue;
        ctx.fillRect(xOf(a), AXIS - 4, Math.max(1, xOf(b) - xOf(a)), 3);
      }
    }

    function drawBands(ctx: CanvasRenderingContext2D): void {
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      let labelRow = 0;
      const laneRows = new Map<number, number>();
      for (const b of run.bands) {
        if (b.end_us < t0 || b.start_us > t1) continue;
        const x0 = Math.max(GUTTER, xOf(b.start_us));
        const x1 = Math.min(width, xOf(b.end_us));
        ctx.fillStyle = BAND_FILL[b.kind] ?? 'rgba(120,120,120,0.15)';
        if (b.lanes === null) ctx.fillRect(x0, AXIS, Math.max(1, x1 - x0), height - AXIS);
        else for (const l of b.lanes) ctx.fillRect(x0, laneY[l] as number, Math.max(1, x1 - x0), LANE_H);
        // labels stagger (three rows across the network, two per lane) and stay inside their band
        let ly: number;
        if (b.lanes === null) ly = AXIS + 2 + (labelRow++ % 3) * 12;
        else {
          const first = b.lanes[0] as number;
          const row = laneRows.get(first) ?? 0;
          laneRows.set(first, row + 1);
          ly = (laneY[first] as number) + 1 + (row % 2) * 14;
        }
        ctx.save();
        ctx.beginPath();
        ctx.rect(x0, ly, Math.max(0, x1 - x0 - 2), 13);
        ctx.clip();
        ctx.fillStyle = '#7a1f1f';
        ctx.fillText(`${b.label}${b.closed ? '' : ' (never ended)'}`, x0 + 3, ly);
        ctx.restore();
      }
    }

    function drawDensity(ctx: CanvasRenderingContext2D): void {
      const s = run.series;
      const b0 = Math.max(0, Math.floor(t0 / s.bucket_us));
      const b1 = Math.min(s.n - 1, Math.floor(t1 / s.bucket_us));
      let max = 1;
      for (const lane of s.lane_ops) for (let b = b0; b <= b1; b++) max = Math.max(max, lane[b] as number);
      let maxA = 1;
      for (const lane of s.lane_applies) for (let b = b0; b <= b1; b++) maxA = Math.max(maxA, lane[b] as number);
      for (let b = b0; b <= b1; b++) {
        const ta = b * s.bucket_us;
        const tb = ta + s.bucket_us;
        if (d.windows.some(([a, c]) => a <= ta && c >= tb)) continue;
        const x = xOf(ta);
        const w = Math.max(1, xOf(tb) - x);
        run.lanes.forEach((_, i) => {
          const ly = laneY[i] as number;
          const o = (s.lane_ops[i]?.[b] ?? 0) / max;
          const a = (s.lane_applies[i]?.[b] ?? 0) / maxA;
          if (o > 0) {
            ctx.fillStyle = `rgba(43, 123, 185, ${0.12 + 0.6 * o})`;
            ctx.fillRect(x, ly + 5, w, 8);
          }
          if (a > 0) {
            ctx.fillStyle = `rgba(224, 123, 0, ${0.12 + 0.6 * a})`;
            ctx.fillRect(x, ly + 17, w, 8);
          }
        });
      }
    }

    function drawOps(ctx: CanvasRenderingContext2D): { ops: number; arrows: number; arrowsSkipped: number } {
      const n = d.op_id.length;
      const visible: number[] = [];
      let arrowCount = 0;
      for (let i = 0; i < n; i++) {
        const t = d.op_t[i] as number;
        const dur = d.op_d[i] as number;
        const end = dur < 0 ? run.end_us : t + dur;
        const [a, b] = applyRange(i);
        const lastApply = b > a ? (d.ap_t[b - 1] as number) : end;
        if (Math.max(end, lastApply) < t0 || t > t1) continue;
        visible.push(i);
        if (b - a > 1) arrowCount += b - a - 1;
      }
      const drawArrows = arrowCount <= 4000;
      // With a witness selected, ops and arrows of other keys fade so its key's story stands out.
      const faded = (i: number): boolean => focusKey >= 0 && d.op_key[i] !== focusKey;
      if (drawArrows) {
        for (const i of visible) {
          if (hi.has(d.op_id[i] as number)) continue;
          ctx.globalAlpha = faded(i) ? 0.25 : 1;
          arrows(ctx, i, false);
        }
        ctx.globalAlpha = 1;
      }
      let drawnOps = 0;
      for (const i of visible) {
        const lane = d.op_lane[i] as number;
        if (lane < 0) continue;
        const t = d.op_t[i] as number;
        if (t > t1) continue;
        const dur = d.op_d[i] as number;
        const end = dur < 0 ? run.end_us : t + dur;
        if (end < t0) continue;
        drawnOps++;
        const f = d.fns[d.op_f[i] as number] ?? '';
        const st = d.op_s[i] as number;
        const x0 = xOf(t);
        const w = Math.max(2, xOf(end) - x0);
        const yy = (laneY[lane] as number) + (isRead[d.op_f[i] as number] ? 5 : 17);
        ctx.globalAlpha = faded(i) ? 0.25 : 1;
        ctx.fillStyle = st === 0 ? fnColor(f) : st === 1 ? '#d62728' : '#9a9a9a';
        ctx.fillRect(x0, yy, w, 8);
        if (st === 2 || st === 3) {
          ctx.strokeStyle = '#555';
          ctx.setLineDash([2, 2]);
          ctx.strokeRect(x0 + 0.5, yy + 0.5, w - 1, 7);
          ctx.setLineDash([]);
        }
      }
      ctx.globalAlpha = 1;
      // highlighted ops on top
      let hiDrawn = 0;
      for (const id of hi) {
        const i = opIndex.get(id);
        if (i === undefined) continue;
        arrows(ctx, i, true);
        const lane = d.op_lane[i] as number;
        if (lane < 0) continue;
        const t = d.op_t[i] as number;
        const dur = d.op_d[i] as number;
        const end = dur < 0 ? run.end_us : t + dur;
        if (end < t0 || t > t1) continue;
        hiDrawn++;
        const x0 = xOf(t);
        const w = Math.max(4, xOf(end) - x0);
        const yy = (laneY[lane] as number) + (isRead[d.op_f[i] as number] ? 5 : 17);
        ctx.strokeStyle = '#e0007a';
        ctx.lineWidth = 3;
        ctx.strokeRect(x0 - 2, yy - 2, w + 4, 12);
        ctx.lineWidth = 1;
        ctx.fillStyle = '#e0007a';
        ctx.font = 'bold 11px system-ui, sans-serif';
        ctx.textBaseline = 'bottom';
        const f = d.fns[d.op_f[i] as number] ?? '';
        ctx.fillText(`op ${id} ${f}${d.op_v[i] ? ` ${d.op_v[i]}` : ''}`, x0 + w + 4, yy + 10);
      }
      if (hover >= 0) {
        const lane = d.op_lane[hover] as number;
        if (lane >= 0) {
          const t = d.op_t[hover] as number;
          const dur = d.op_d[hover] as number;
          const x0 = xOf(t);
          const w = Math.max(2, xOf(dur < 0 ? run.end_us : t + dur) - x0);
          const yy = (laneY[lane] as number) + (isRead[d.op_f[hover] as number] ? 5 : 17);
          ctx.strokeStyle = '#000';
          ctx.strokeRect(x0 - 1.5, yy - 1.5, w + 3, 11);
          arrows(ctx, hover, true);
        }
      }
      root.setAttribute('data-highlight-drawn', String(hiDrawn));
      return { ops: drawnOps, arrows: drawArrows ? arrowCount : 0, arrowsSkipped: drawArrows ? 0 : arrowCount };
    }

    /** Replication arrows of op i: from its first apply to each later one. */
    function arrows(ctx: CanvasRenderingContext2D, i: number, strong: boolean): void {
      const [a, b] = applyRange(i);
      if (b - a < 2) return;
      const l0 = d.ap_lane[a] as number;
      if (l0 < 0) return;
      const x0 = xOf(d.ap_t[a] as number);
      const y0 = (laneY[l0] as number) + 21;
      const region0 = run.lanes[l0]?.region;
      for (let j = a + 1; j < b; j++) {
        const l = d.ap_lane[j] as number;
        if (l < 0) continue;
        const x1 = xOf(d.ap_t[j] as number);
        const y1 = (laneY[l] as number) + 21;
        const cross = run.lanes[l]?.region !== region0;
        ctx.strokeStyle = strong ? '#e0007a' : cross ? 'rgba(70, 70, 70, 0.45)' : 'rgba(120, 160, 170, 0.45)';
        ctx.fillStyle = ctx.strokeStyle;
        ctx.lineWidth = strong ? 2 : 1;
        ctx.beginPath();
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        ctx.stroke();
        const ang = Math.atan2(y1 - y0, x1 - x0);
        const s = strong ? 7 : 5;
        ctx.beginPath();
        ctx.moveTo(x1, y1);
        ctx.lineTo(x1 - s * Math.cos(ang - 0.4), y1 - s * Math.sin(ang - 0.4));
        ctx.lineTo(x1 - s * Math.cos(ang + 0.4), y1 - s * Math.sin(ang + 0.4));
        ctx.closePath();
        ctx.fill();
        ctx.lineWidth = 1;
      }
    }

    function setView(a: number, b: number): void {
      const min = 50;
      if (b - a < min) {
        const c = (a + b) / 2;
        a = c - min / 2;
        b = c + min / 2;
      }
      const span = Math.min(b - a, run.end_us * 1.2 + 1);
      t0 = Math.max(-run.end_us * 0.1, a);
      t1 = t0 + span;
      draw();
    }

    function zoom(factor: number, at: number): void {
      const c = t0 + (t1 - t0) * at;
      setView(c - (c - t0) * factor, c + (t1 - c) * factor);
    }

    function highlight(ops: number[], times_us: number[], text = '', key: string | null = null): void {
      hi = new Set(ops);
      focusKey = key === null ? -1 : d.keys.indexOf(key);
      root.setAttribute('data-focus-key', key ?? '');
      caption.textContent = text;
      caption.hidden = text === '';
      root.setAttribute('data-highlight-ops', ops.join(' '));
      if (ops.length || times_us.length) {
        const ts: number[] = [...times_us];
        for (const id of ops) {
          const i = opIndex.get(id);
          if (i === undefined) continue;
          const t = d.op_t[i] as number;
          const dur = d.op_d[i] as number;
          const end = dur < 0 ? t : t + dur;
          ts.push(t, end);
          const [a, b] = applyRange(i);
          for (let j = a; j < b; j++) if ((d.ap_t[j] as number) <= end + 2e6) ts.push(d.ap_t[j] as number);
        }
        if (ts.length) {
          const lo = Math.min(...ts);
          const hiT = Math.max(...ts);
          const pad = Math.max((hiT - lo) * 0.15, 20_000);
          setView(lo - pad, hiT + pad);
          return;
        }
      }
      draw();
    }

    // interaction: wheel zoom, drag pan, hover tooltip, double-click reset
    canvas.addEventListener('wheel', (ev) => {
      const r = canvas.getBoundingClientRect();
      const x = ev.clientX - r.left;
      if (x < GUTTER) return;
      ev.preventDefault();
      zoom(ev.deltaY > 0 ? 1.25 : 0.8, (x - GUTTER) / (width - GUTTER - 10));
    }, { passive: false });
    let drag: { x: number; t0: number; t1: number } | null = null;
    canvas.addEventListener('mousedown', (ev) => {
      drag = { x: ev.clientX, t0, t1 };
    });
    window.addEventListener('mouseup', () => {
      drag = null;
    });
    canvas.addEventListener('dblclick', () => setView(0, run.end_us));
    canvas.addEventListener('mousemove', (ev) => {
      const r = canvas.getBoundingClientRect();
      const x = ev.clientX - r.left;
      const yy = ev.clientY - r.top;
      if (drag) {
        const dt = ((ev.clientX - drag.x) / (width - GUTTER - 10)) * (drag.t1 - drag.t0);
        t0 = drag.t0 - dt;
        t1 = drag.t1 - dt;
        draw();
        return;
      }
      const lane = laneY.findIndex((ly) => yy >= ly && yy < ly + LANE_H);
      let found = -1;
      if (lane >= 0 && x > GUTTER) {
        let best = 6;
        for (let i = 0; i < d.op_id.length; i++) {
          if (d.op_lane[i] !== lane) continue;
          const t = d.op_t[i] as number;
          const dur = d.op_d[i] as number;
          const xa = xOf(t);
          const xb = Math.max(xa + 2, xOf(dur < 0 ? run.end_us : t + dur));
          const dist = x < xa ? xa - x : x > xb ? x - xb : 0;
          if (dist < best) {
            best = dist;
            found = i;
          }
        }
      }
      if (found !== hover) {
        hover = found;
        draw();
      }
      if (found >= 0) {
        const i = found;
        const st = ['ok', 'fail', 'unknown (info)', 'open'][d.op_s[i] as number] ?? '';
        const dur = d.op_d[i] as number;
        const [a, b] = applyRange(i);
        tip.textContent = `op ${d.op_id[i]} · ${d.fns[d.op_f[i] as number]} ${d.keys[d.op_key[i] as number]}${d.op_v[i] ? ` = ${d.op_v[i]}` : ''} · client ${d.clients[d.op_client[i] as number]} · at ${fmtT(d.op_t[i] as number, 1)} · ${st}${dur >= 0 ? ` after ${fmtDur(dur)}` : ''}${b > a ? ` · applied at ${b - a} replicas` : ''}`;
        tip.hidden = false;
        tip.style.left = `${Math.min(x + 12, width - 360)}px`;
        tip.style.top = `${yy + 14}px`;
      } else tip.hidden = true;
    });
    canvas.addEventListener('mouseleave', () => {
      tip.hidden = true;
      if (hover >= 0) {
        hover = -1;
        draw();
      }
    });
    window.addEventListener('resize', () => draw());

    return { root, setView, highlight, redraw: draw };
  }

  // ---------------------------------------------------------------- anomalies
  function makeAnomalies(run: RunData, diagram: Diagram): HTMLElement {
    const total = run.anomalies.reduce((s, a) => s + (a.count ?? 0), 0);
    const root = h('section', { class: 'anomalies', 'data-role': 'anomalies', 'data-total': String(total) }, h('h2', {}, `Anomalies (${total})`));
    for (const a of run.anomalies) {
      const countText = !a.applicable ? 'n/a' : a.unknown || a.count === null ? 'unknown' : String(a.count);
      const fam = h('div', { class: `family${(a.count ?? 0) > 0 ? ' bad' : ''}`, 'data-name': a.name, 'data-count': a.count === null ? 'na' : String(a.count) });
      fam.append(h('h3', {}, h('span', { class: 'name' }, a.name.replace(/_/g, ' ')), h('span', { class: 'count' }, countText)));
      fam.append(h('p', { class: 'meaning' }, a.meaning));
      if (!a.applicable && a.note) fam.append(h('p', { class: 'note' }, `not applicable: ${a.note}`));
      else if (a.unknown && a.note) fam.append(h('p', { class: 'note' }, a.note));
      if (a.would_violate) fam.append(h('p', { class: 'note' }, `not counted (sessions: none); ${a.would_violate} reads would violate it under sticky sessions`));
      if (a.witnesses.length) {
        if ((a.count ?? 0) > a.witnesses.length) fam.append(h('p', { class: 'note' }, `showing the ${a.witnesses.length} witnesses the checker kept, of ${a.count}`));
        const ol = h('ol', { class: 'witnesses' });
        for (const w of a.witnesses) {
          const li = h(
            'li',
            { class: `witness${a.would_violate !== null ? ' would' : ''}`, 'data-ops': w.ops.join(' '), tabindex: '0', role: 'button', title: 'show on the diagram' },
            h('span', { class: 'ops' }, w.ops.length ? `ops ${w.ops.join(', ')}` : w.key ? `key ${w.key}` : ''),
            ' ',
            w.explanation,
          );
          const pick = (): void => {
            for (const x of Array.from(document.querySelectorAll('.witness[data-selected]'))) x.removeAttribute('data-selected');
            li.setAttribute('data-selected', 'true');
            diagram.highlight(w.ops, w.times_us, `${a.name.replace(/_/g, ' ')}${w.key ? ` (key ${w.key}; other keys faded)` : ''}: ${w.explanation}`, w.key);
            diagram.root.scrollIntoView({ block: 'start', behavior: 'auto' });
          };
          li.addEventListener('click', pick);
          li.addEventListener('keydown', (ev) => {
            if (ev.key === 'Enter' || ev.key === ' ') {
              ev.preventDefault();
              pick();
            }
          });
          ol.append(li);
        }
        fam.append(ol);
      }
      root.append(fam);
    }
    return root;
  }

  // ---------------------------------------------------------------- charts
  interface ChartSpec {
    title: string;
    x: number[];
    series: Array<{ label: string; values: Array<number | null>; color: string; dash?: number[] }>;
    yLabel: string;
    range?: [number, number];
  }

  function chart(host: HTMLElement, spec: ChartSpec, bands: RunData['bands'], onSelect: (a_us: number, b_us: number) => void): void {
    const box = h('div', { class: 'chart', 'data-role': 'chart' }, h('h4', {}, spec.title));
    host.append(box);
    const width = Math.max(320, (box.clientWidth || host.clientWidth || 600) - 18);
    const opts = {
      width,
      height: 190,
      legend: { live: true },
      cursor: { drag: { x: true, y: false, setScale: false } },
      scales: { x: { time: false }, ...(spec.range ? { y: { range: spec.range } } : {}) },
      axes: [
        { values: (_u: unknown, ticks: number[]) => ticks.map((t) => (t >= 3600 ? `${(t / 3600).toFixed(2)}h` : `${+t.toFixed(3)}s`)) },
        { label: spec.yLabel, size: 60 },
      ],
      series: [{ label: 'time (s)' }, ...spec.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, spanGaps: false, ...(s.dash ? { dash: s.dash } : {}) }))],
      hooks: {
        drawClear: [
          (u: UPlotInstance) => {
            const ctx = u.ctx;
            for (const b of bands) {
              if (b.lanes !== null && b.kind !== 'crash') continue;
              const x0 = u.valToPos(b.start_us / 1e6, 'x', true);
              const x1 = u.valToPos(b.end_us / 1e6, 'x', true);
              ctx.fillStyle = BAND_FILL[b.kind] ?? 'rgba(120,120,120,0.15)';
              ctx.globalAlpha = b.kind === 'crash' ? 0.4 : 1; // a crash of one node must not hide the lines
              const l = Math.max(u.bbox.left, x0);
              const r = Math.min(u.bbox.left + u.bbox.width, x1);
              if (r > l) ctx.fillRect(l, u.bbox.top, r - l, u.bbox.height);
              ctx.globalAlpha = 1;
            }
          },
        ],
        setSelect: [
          (u: UPlotInstance) => {
            if (u.select.width < 3) return;
            const a = u.posToVal(u.select.left, 'x');
            const b = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            onSelect(a * 1e6, b * 1e6);
          },
        ],
      },
    };
    new UPlot(opts, [spec.x, ...spec.series.map((s) => s.values)], box);
  }

  function runCharts(run: RunData, host: HTMLElement, diagram: Diagram): void {
    const s = run.series;
    const sec = s.bucket_us / 1e6;
    const x = Array.from({ length: s.n }, (_, b) => (b * s.bucket_us) / 1e6);
    const color = (g: number): string => PALETTE[g % PALETTE.length] as string;
    const sel = (a: number, b: number): void => {
      diagram.setView(a, b);
      diagram.root.scrollIntoView({ block: 'start' });
    };
    host.append(h('p', { class: 'hint' }, `Buckets of ${fmtDur(s.bucket_us)}; shaded: fault windows. Drag across a chart to zoom the diagram there.`));
    chart(host, { title: 'Throughput (ok ops/s, by client region)', x, yLabel: 'ops/s', series: s.regions.map((r, g) => ({ label: r, color: color(g), values: (s.ok[g] ?? []).map((v) => v / sec) })) }, run.bands, sel);
    chart(
      host,
      {
        title: 'Availability (served / invoked, by client region; a business refusal is served)',
        x,
        yLabel: 'fraction',
        range: [0, 1.05],
        series: s.regions.map((r, g) => ({ label: r, color: color(g), values: (s.total[g] ?? []).map((t, b) => (t ? ((s.served[g] ?? [])[b] ?? 0) / t : null)) })),
      },
      run.bands,
      sel,
    );
    chart(
      host,
      {
        title: 'Latency of ok ops (ms): p50 solid, p99 dashed',
        x,
        yLabel: 'ms',
        series: s.regions.flatMap((r, g) => [
          { label: `${r} p50`, color: color(g), values: s.p50_ms[g] ?? [] },
          { label: `${r} p99`, color: color(g), values: s.p99_ms[g] ?? [], dash: [5, 4] },
        ]),
      },
      run.bands,
      sel,
    );
    chart(
      host,
      {
        title: 'Replication lag (ms, write ack → apply at another replica)',
        x,
        yLabel: 'ms',
        series: [
          { label: 'p50', color: '#2ca02c', values: s.lag_p50_ms },
          { label: 'p99', color: '#e6550d', values: s.lag_p99_ms },
          { label: 'max', color: '#999', values: s.lag_max_ms, dash: [3, 3] },
        ],
      },
      run.bands,
      sel,
    );
    chart(host, { title: 'Replication backlog (applies still to come)', x, yLabel: 'applies', series: [{ label: 'backlog', color: '#9467bd', values: s.backlog }] }, run.bands, sel);
    if (run.capacity) capacityCharts(run, run.capacity, host, sel);
  }

  /** Node capacity: utilisation, queue length and queueing delay per node, in the capacity's own buckets. */
  function capacityCharts(run: RunData, cap: NonNullable<RunData['capacity']>, host: HTMLElement, sel: (a: number, b: number) => void): void {
    const n = cap.nodes[0]?.utilisation.length ?? 0;
    const x = Array.from({ length: n }, (_, b) => (b * cap.bucket_us) / 1e6);
    const color = (i: number): string => PALETTE[i % PALETTE.length] as string;
    host.append(h('p', { class: 'hint' }, `Node capacity, in buckets of ${fmtDur(cap.bucket_us)}.`));
    chart(host, { title: 'Utilisation (busy workers / workers, per node)', x, yLabel: 'fraction', range: [0, 1.05], series: cap.nodes.map((nd, i) => ({ label: nd.node, color: color(i), values: nd.utilisation })) }, run.bands, sel);
    chart(
      host,
      {
        title: 'Queue length (waiting jobs): mean solid, max dashed',
        x,
        yLabel: 'jobs',
        series: cap.nodes.flatMap((nd, i) => [
          { label: `${nd.node} mean`, color: color(i), values: nd.queue_mean },
          { label: `${nd.node} max`, color: color(i), values: nd.queue_max, dash: [5, 4] },
        ]),
      },
      run.bands,
      sel,
    );
    chart(host, { title: 'Queueing delay (ms, mean of the jobs that got a worker)', x, yLabel: 'ms', series: cap.nodes.map((nd, i) => ({ label: nd.node, color: color(i), values: nd.delay_ms })) }, run.bands, sel);
  }

  // ---------------------------------------------------------------- page parts
  function header(run: RunData, title: string): HTMLElement {
    const total = run.anomalies.reduce((s, a) => s + (a.count ?? 0), 0);
    // a family with no verdict is not a zero: the chip says so instead of a green total
    const unknown = run.anomalies.filter((a) => a.applicable && a.count === null).length;
    const chips = h(
      'div',
      { class: 'chips' },
      h('span', { class: 'chip' }, `engine ${run.engine}`),
      h('span', { class: 'chip' }, `seed ${run.seed}`),
      h('span', { class: 'chip' }, `${run.ops.total} ops`),
      h('span', { class: `chip ${total ? 'bad' : unknown ? '' : 'good'}` }, `${total} anomalies${unknown ? `, ${unknown} ${unknown === 1 ? 'family' : 'families'} unknown` : ''}`),
      ...(run.expect.length ? [h('span', { class: `chip ${run.passed ? 'good' : 'bad'}` }, run.passed ? 'expectations met' : 'expectations not met')] : []),
    );
    return h('header', {}, h('h1', {}, title), h('p', { class: 'desc' }, run.description), chips);
  }

  function summary(run: RunData): HTMLElement {
    const t = h('table', { class: 'summary' });
    for (const r of run.summary) t.append(h('tr', {}, h('th', {}, r.label), h('td', {}, r.value)));
    if (run.expect.length) {
      for (const e of run.expect) {
        t.append(h('tr', { class: e.met ? 'met' : 'unmet' }, h('th', {}, `expect ${e.name} ${e.want}`), h('td', {}, `${e.met ? '✓' : '✗'} got ${e.got === null ? 'n/a' : num(e.got, 4)}`)));
      }
    }
    return t;
  }

  function scenarioSection(run: RunData): HTMLElement {
    return h(
      'section',
      { class: 'scenario' },
      h('h2', {}, 'Scenario'),
      h('p', {}, `seed ${run.seed} · ${run.stop} · history sha256 ${run.history_sha256}`),
      h('pre', { class: 'yaml', 'data-role': 'scenario-source' }, run.source),
    );
  }

  function legend(): HTMLElement {
    const item = (color: string, text: string): HTMLElement => h('span', { class: 'lg' }, h('i', { style: `background:${color}` }), text);
    return h(
      'div',
      { class: 'legend' },
      item('#2b7bb9', 'read (top row)'),
      item('#e07b00', 'write (bottom row)'),
      item('#8e44ad', 'other update'),
      item('#d62728', 'failed'),
      item('#9a9a9a', 'unknown outcome'),
      item('rgba(70,70,70,0.6)', 'replication (first apply → apply)'),
      item(BAND_FILL.partition as string, 'partition / isolate'),
      item(BAND_FILL.crash as string, 'crash'),
      item('#e0007a', 'selected anomaly'),
    );
  }

  function mountRun(host: HTMLElement, run: RunData, title: string): void {
    host.append(header(run, title));
    const diagram = makeDiagram(run);
    host.append(h('h2', {}, 'Space-time diagram'), h('p', { class: 'hint' }, 'Time runs left to right; one lane per node, grouped by region. Wheel to zoom, drag to pan, double-click for the whole run, hover an op for details.'), legend(), diagram.root);
    const grid = h('div', { class: 'grid' });
    const left = h('div', { class: 'col' });
    const right = h('div', { class: 'col charts' }, h('h2', {}, 'Over time'));
    grid.append(left, right);
    host.append(grid);
    left.append(h('h2', {}, 'Summary'), summary(run), makeAnomalies(run, diagram));
    diagram.redraw();
    runCharts(run, right, diagram);
    host.append(scenarioSection(run));
  }

  /** `latency_ms.read.p50` → `read latency p50 (ms)`; anomaly names with spaces. */
  function metricLabel(k: string): string {
    const m = /^(latency|replication_lag)_ms(?:\.(\w+))?\.(p\d+|max)$/.exec(k);
    if (m) return `${m[2] ? `${m[2]} ` : ''}${m[1] === 'latency' ? 'latency' : 'replication lag'} ${m[3]} (ms)`;
    const u = /^(\w+)_ms$/.exec(k);
    if (u) return `${(u[1] as string).replace(/_/g, ' ')} (ms)`;
    return k.replace(/_/g, ' ');
  }

  function mountCompare(host: HTMLElement, c: CompareData): void {
    host.append(h('header', {}, h('h1', {}, c.title), h('p', { class: 'desc' }, c.runs[0]?.run.description ?? '')));
    // side-by-side table
    const table = h('table', { class: 'compare', 'data-role': 'compare-table' });
    table.append(h('tr', {}, h('th', {}, ''), ...c.runs.map((r) => h('th', {}, r.label))));
    const row = (label: string, cells: string[], bad: boolean[] = []): void => {
      table.append(h('tr', {}, h('th', {}, label), ...cells.map((x, i) => h('td', bad[i] ? { class: 'bad' } : {}, x))));
    };
    row('engine', c.runs.map((r) => r.run.engine));
    row('operations', c.runs.map((r) => `${r.run.ops.total} (${r.run.ops.ok} ok)`));
    const keys = Object.keys(c.runs[0]?.run.metrics ?? {});
    for (const k of keys) {
      const vals = c.runs.map((r) => r.run.metrics[k] ?? null);
      const isAnomaly = c.runs[0]?.run.anomalies.some((a) => a.name === k) ?? false;
      row(
        metricLabel(k),
        vals.map((v) => (v === null ? 'n/a' : k.startsWith('availability') ? `${(v * 100).toFixed(2)}%` : num(v, 1))),
        vals.map((v) => isAnomaly && (v ?? 0) > 0),
      );
    }
    row('expectations', c.runs.map((r) => (r.run.expect.length ? (r.run.passed ? 'met' : 'not met') : '—')));
    host.append(h('h2', {}, 'Side by side'), table);

    // overlaid series: one line per run
    const charts = h('div', { class: 'charts wide' });
    host.append(h('h2', {}, 'Metrics over time, one line per setting'), charts);
    const xs = [...new Set(c.runs.flatMap((r) => Array.from({ length: r.run.series.n }, (_, b) => (b * r.run.series.bucket_us) / 1e6)))].sort((a, b) => a - b);
    const align = (r: RunData, f: (b: number) => number | null): Array<number | null> => {
      const m = new Map<number, number | null>();
      for (let b = 0; b < r.series.n; b++) m.set((b * r.series.bucket_us) / 1e6, f(b));
      return xs.map((x) => (m.has(x) ? (m.get(x) as number | null) : null));
    };
    const sum = (rows: number[][], b: number): number => rows.reduce((s, r) => s + (r[b] ?? 0), 0);
    const first = c.runs[0]?.run;
    const bands = first ? first.bands : [];
    const color = (i: number): string => PALETTE[i % PALETTE.length] as string;
    let current: Diagram | null = null;
    const sel = (a: number, b: number): void => {
      if (current) {
        current.setView(a, b);
        current.root.scrollIntoView({ block: 'start' });
      }
    };
    const per = (title: string, yLabel: string, f: (r: RunData, b: number) => number | null, range?: [number, number]): void =>
      chart(charts, { title, x: xs, yLabel, ...(range ? { range } : {}), series: c.runs.map((r, i) => ({ label: r.label, color: color(i), values: align(r.run, (b) => f(r.run, b)) })) }, bands, sel);
    per('Throughput (ok ops/s)', 'ops/s', (r, b) => sum(r.series.ok, b) / (r.series.bucket_us / 1e6));
    per('Availability (served / invoked)', 'fraction', (r, b) => {
      const t = sum(r.series.total, b);
      return t ? sum(r.series.served, b) / t : null;
    }, [0, 1.05]);
    per('Latency p99 of ok ops (ms)', 'ms', (r, b) => r.series.all_p99_ms[b] ?? null);
    per('Replication lag p99 (ms)', 'ms', (r, b) => r.series.lag_p99_ms[b] ?? null);
    per('Replication backlog (applies still to come)', 'applies', (r, b) => r.series.backlog[b] ?? null);

    // one run in detail, chosen with tabs
    const tabs = h('div', { class: 'tabs', role: 'tablist' });
    const detail = h('div', { class: 'run-detail', 'data-role': 'run-detail' });
    host.append(h('h2', {}, 'One setting in detail'), tabs, detail);
    const show = (i: number): void => {
      const r = c.runs[i];
      if (!r) return;
      for (const [j, t] of Array.from(tabs.children).entries()) t.setAttribute('aria-selected', String(j === i));
      detail.replaceChildren();
      const diagram = makeDiagram(r.run);
      current = diagram;
      detail.append(legend(), diagram.root);
      const grid = h('div', { class: 'grid' });
      const left = h('div', { class: 'col' }, h('h2', {}, 'Summary'), summary(r.run), makeAnomalies(r.run, diagram));
      const right = h('div', { class: 'col charts' }, h('h2', {}, 'Over time'));
      grid.append(left, right);
      detail.append(grid);
      diagram.redraw();
      runCharts(r.run, right, diagram);
      detail.append(scenarioSection(r.run));
    };
    c.runs.forEach((r, i) => {
      const t = h('button', { type: 'button', role: 'tab', class: 'tab' }, r.label);
      t.addEventListener('click', () => show(i));
      tabs.append(t);
    });
    show(0);
  }

  if (page.kind === 'run') mountRun(app, page.run, `replsim · ${page.run.name}`);
  else mountCompare(app, page.compare);
  document.body.setAttribute('data-ready', 'true');
}
