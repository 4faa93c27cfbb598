/**
 * Executable docs. In Markdown, a fenced block marked `console` holds commands as
 * `$ replsim ARGS` lines, each followed by the output it prints. A command may end with
 * `# exit N` (the expected exit code; default 0). The output shown is checked against a fresh
 * in-process run:
 * - a block whose output contains a line `...` is an excerpt: its other lines must appear in
 *   the real output, in order (lines in between may be skipped);
 * - any other block shows the whole output, which must match line for line.
 * Wall-clock figures (`in 0.67 s`, per-scenario times, the number of workers) are normalised
 * before comparing. With REPLSIM_UPDATE_DOCS=1 the test rewrites whole-output blocks in place.
 */
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

export interface DocCommand {
  /** 1-based line of the `$ replsim` line in the file */
  line: number;
  argv: string[];
  exit: number;
  /** output lines as shown in the doc */
  shown: string[];
  excerpt: boolean;
  /** index range of the shown output lines in the file's line array: [start, end) */
  range: [number, number];
}

const COMMAND_RE = /^\$ replsim(?:\s+(.*?))?(?:\s+#\s*exit\s+(\d+))?\s*$/;

/** Every `$ replsim` command in the ```console blocks of a Markdown text. */
export function extractCommands(markdown: string): DocCommand[] {
  const lines = markdown.split('\n');
  const out: DocCommand[] = [];
  let inConsole = false;
  let current: DocCommand | undefined;
  const close = (end: number) => {
    if (current) {
      current.range[1] = end;
      current.shown = lines.slice(current.range[0], end);
      current.excerpt = current.shown.some((l) => l.trim() === '...');
      out.push(current);
      current = undefined;
    }
  };
  lines.forEach((text, i) => {
    const fence = /^```(\w*)\s*$/.exec(text);
    if (fence) {
      if (!inConsole && fence[1] === 'console') inConsole = true;
      else if (inConsole) {
        close(i);
        inConsole = false;
      }
      return;
    }
    if (!inConsole) return;
    if (text.startsWith('$ ')) {
      close(i);
      const m = COMMAND_RE.exec(text);
      if (!m) return; // a command of another program: shown, not run
      current = { line: i + 1, argv: splitArgs(m[1] ?? ''), exit: Number(m[2] ?? 0), shown: [], excerpt: false, range: [i + 1, i + 1] };
    }
  });
  close(lines.length);
  return out;
}

/** Shell-like word splitting with single and double quotes (no expansions). */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) args.push(cur);
      cur = '';
      has = false;
    } else cur += ch;
  }
  if (has || cur) args.push(cur);
  return args;
}

/** Runs a command in-process with colours off; stdout then stderr, as lines. */
export async function runCommand(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const io = memoryIo({ NO_COLOR: '1' });
  const code = await main(argv, io);
  const text = io.stdout + io.stderr;
  const lines = text.replace(/\n$/, '').split('\n');
  return { code, lines: text === '' ? [] : lines };
}

/** Removes what differs between two runs of the same command: wall-clock times and core counts. */
export function normalise(line: string): string {
  return line
    .replace(/\s+$/, '')
    .replace(/^([✓✗!] \S+) {2}\d+(\.\d+)?s\b/, '$1  #s')
    .replace(/ in \d+(\.\d+)? ?s\b/g, ' in #s')
    .replace(/ \[\d+(\.\d+)? ms\]$/, ' [# ms]') // check_ms of `replsim check`
    .replace(/\b\d+ workers?\b/g, '# workers');
}

/** Why the shown output does not match the actual output, or undefined when it does. */
export function mismatch(cmd: DocCommand, actual: string[]): string | undefined {
  const got = actual.map(normalise);
  const want = cmd.shown.map(normalise);
  if (!cmd.excerpt) {
    const n = Math.max(got.length, want.length);
    for (let i = 0; i < n; i++) {
      if (got[i] !== want[i]) {
        return `output line ${i + 1} differs:\n  shown:  ${JSON.stringify(want[i] ?? '<end of output>')}\n  actual: ${JSON.stringify(got[i] ?? '<end of output>')}`;
      }
    }
    return undefined;
  }
  let at = 0;
  for (const w of want) {
    if (w.trim() === '...') continue;
    const found = got.indexOf(w, at);
    if (found < 0) return `shown line not found in the actual output (in order): ${JSON.stringify(w)}`;
    at = found + 1;
  }
  return undefined;
}
