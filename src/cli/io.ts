/** Where CLI output goes; tests pass buffers, the binary passes the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** true when colours and progress bars may be used */
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

export function processIo(): Io {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
  };
}

/** Captures output in memory (for tests and for `compare`, which runs commands in-process). */
export function memoryIo(env: Record<string, string | undefined> = {}): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    isTTY: false,
    env,
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

/** Exit codes shared by every command (CHECKING.md). */
export const EXIT = { OK: 0, EXPECT_UNMET: 1, BAD_INPUT: 2, UNKNOWN: 3 } as const;

/** A bad-input error that the CLI prints as one line and exits 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
