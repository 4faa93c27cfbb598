/**
 * Where a history's canonical text goes: a SHA-256 and, optionally, a file descriptor. Hashing
 * (and writing) a long run's history costs about a tenth of its simulation time, so for long
 * runs it is done on a second thread while the simulation goes on: the main thread hands over
 * 64 K chunks and only waits when the thread falls `MAX_AHEAD` chunks behind, or for the digest.
 * Both variants produce the same digest and the same bytes: only wall time differs.
 */
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export interface TextSink {
  /** hashes (and writes) one chunk of history text */
  write(chunk: string): void;
  /** all chunks written: the hex SHA-256 of everything, in order */
  digest(): string;
  /** stops without a digest (on error) */
  close(): void;
}

/** Hashes and writes on the calling thread. */
export function inlineSink(fd: number | undefined): TextSink {
  const hash = createHash('sha256');
  return {
    write(chunk) {
      hash.update(chunk);
      if (fd !== undefined) writeSync(fd, chunk);
    },
    digest: () => hash.digest('hex'),
    close: () => undefined,
  };
}

/** Chunks the thread may lag behind before the simulation waits (4 MB of text). */
const MAX_AHEAD = 64;

// The thread's code, evaluated as a script: no file to locate, whether replsim runs from its
// TypeScript sources (tests) or from dist. Chunks are strings, commands objects. Slot 0 of `ctl`
// counts chunks consumed, slot 1 says the digest is posted.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { writeSync } = require('node:fs');
const { fd, ctl, port } = workerData;
const hash = createHash('sha256');
parentPort.on('message', (m) => {
  if (typeof m === 'string') {
    hash.update(m);
    if (fd !== undefined) writeSync(fd, m);
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    return;
  }
  if (m.cmd === 'digest') port.postMessage(hash.digest('hex'));
  else port.postMessage('');
  Atomics.store(ctl, 1, 1);
  Atomics.notify(ctl, 1);
  parentPort.close();
});
`;

/** Hashes and writes on a worker thread; `digest` blocks until it has caught up. */
export function threadedSink(fd: number | undefined): TextSink {
  const ctl = new Int32Array(new SharedArrayBuffer(8));
  const channel = new MessageChannel();
  const reply: MessagePort = channel.port1;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { fd, ctl, port: channel.port2 },
    transferList: [channel.port2],
  });
  // The worker must not keep the process alive if the run is abandoned.
  worker.unref();
  let sent = 0;
  let finished = false;

  function finish(cmd: 'digest' | 'close'): string {
    finished = true;
    worker.postMessage({ cmd });
    while (Atomics.load(ctl, 1) === 0) Atomics.wait(ctl, 1, 0);
    const m = receiveMessageOnPort(reply);
    reply.close();
    return typeof m?.message === 'string' ? m.message : '';
  }

  return {
    write(chunk) {
      if (finished) throw new Error('history sink: write after digest');
      // Wait while the thread is too far behind: memory stays bounded whatever the run length.
      for (;;) {
        const done = Atomics.load(ctl, 0);
        if (sent - done < MAX_AHEAD) break;
        Atomics.wait(ctl, 0, done);
      }
      worker.postMessage(chunk);
      sent++;
    },
    digest: () => finish('digest'),
    close() {
      if (!finished) finish('close');
    },
  };
}
