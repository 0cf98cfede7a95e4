// Starts workers that loop over Tessera ops and terminates each mid-loop, at delays from
// 0 to about 100 ms; exits 0 when every worker was stopped. Run by
// worker_terminate.test.ts in a child process: an N-API call that throws past a
// terminating environment aborts the whole process (SIGABRT), which jest must survive.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const WORKERS = Number(process.argv[2] ?? 24);
const root = join(__dirname, '..', '..');

// Each worker exercises every entry point: creation, ops with several outputs, reads
// (sync and async), views, disposal, memory reports, and tensors left to the GC.
const body = `
  const ts = require(${JSON.stringify(join(root, 'src'))});
  require('node:worker_threads').parentPort.postMessage('ready');
  let kept = [];
  for (let i = 0; ; i++) {
    const t = ts.ones([2]);
    t.dispose();
    const x = ts.randomNormal([4, 8]);
    const m = ts.moments(ts.softmax(ts.matMul(x, ts.transpose(x))), 1);
    m.mean.dataSync();
    ts.reshape(m.variance, [2, 2]).data().catch(() => {});
    kept.push(ts.add(x, 1));  // forgotten: collected (and finalized) at teardown
    if (kept.length > 50) kept = [];
    if (i % 16 === 0) ts.memory();
  }
`;

async function stopOne(delayMs: number): Promise<void> {
  const worker = new Worker(`require(${JSON.stringify(join(root, 'test', 'helpers', 'register-ts.js'))});${body}`, { eval: true });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  await new Promise((r) => setTimeout(r, delayMs));
  await worker.terminate();
}

async function main(): Promise<void> {
  // A few at a time, so the 2-core CI machine finishes in seconds.
  for (let i = 0; i < WORKERS; i += 4) {
    await Promise.all([0, 1, 2, 3].filter((j) => i + j < WORKERS).map((j) => stopOne(((i + j) * 37) % 101)));
  }
  process.stdout.write(`stopped ${WORKERS} workers\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(2);
  },
);
