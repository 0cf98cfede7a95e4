// Training throughput over the problem size: the MLP and the CNN over batch sizes 16 to
// 1,024, the LSTM over sequence lengths 28 to 512 (batch 64), as a markdown table; with
// --pytorch, bench/pytorch_scaling.py runs the same points and its column joins the table.
// Each point is one untimed step and then a few timed ones (about `SAMPLES` samples), so
// the whole sweep takes minutes.
// --passes N repeats the sweep N times, interleaved with PyTorch's, and prints each point's
// median and the median (range) of the per-pass ratios: one pass swings 1.5-2x on a shared VM.
//   npm run bench:scaling [-- --pytorch] [-- --quick] [-- --passes 5]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../src';
import { MODELS } from './models';
import { median } from './median';
import { peerEnv } from './peer_env';
import { arg } from './profile_common';

/** One point of the sweep: a model at a batch size and sequence length. */
interface Point {
  model: 'mlp' | 'cnn' | 'lstm';
  batch: number;
  seq: number;
}

const BATCHES = [16, 32, 64, 128, 256, 512, 1024];
const SEQUENCES = [28, 64, 128, 256, 512];
const LSTM_BATCH = 64;
// Samples timed per point (at least three steps): enough to average a fast step's noise.
const SAMPLES: Record<Point['model'], number> = { mlp: 2048, cnn: 256, lstm: 192 };

export function points(): Point[] {
  return [
    ...BATCHES.map((batch) => ({ model: 'mlp' as const, batch, seq: 0 })),
    ...BATCHES.map((batch) => ({ model: 'cnn' as const, batch, seq: 0 })),
    ...SEQUENCES.map((seq) => ({ model: 'lstm' as const, batch: LSTM_BATCH, seq })),
  ];
}

function build(p: Point): ts.Model {
  if (p.model !== 'lstm') return MODELS[p.model].build();
  const L = ts.layers as unknown as Record<string, (a: object) => ts.layers.Layer>;
  return ts.sequential({ layers: [L.lstm({ units: 128, inputShape: [p.seq, 28] }), L.dense({ units: 10 })] });
}

/** Samples per second of Adam steps on one random batch of the point's shape. */
function measure(p: Point, quick: boolean): number {
  ts.setSeed(1);
  const model = build(p);
  model.compile({ optimizer: 'adam', loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
  const x = ts.randomUniform(p.model === 'lstm' ? [p.batch, p.seq, 28] : [p.batch, 28, 28, 1]);
  const y = ts.cast(ts.floor(ts.randomUniform([p.batch], 0, 10)), 'int32');
  model.trainOnBatch(x, y);
  const steps = quick ? 1 : Math.max(3, Math.ceil(SAMPLES[p.model] / p.batch));
  const t = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) model.trainOnBatch(x, y);
  const rate = (steps * p.batch) / (Number(process.hrtime.bigint() - t) / 1e9);
  ts.dispose([x, y]);
  model.dispose();
  return rate;
}

const key = (p: Point) => `${p.model}|${p.batch}|${p.seq || '-'}`;

// PyTorch's rates by point, read from its table (the rows this script prints).
function pytorchRates(quick: boolean): Map<string, number> | string {
  const script = [join(__dirname, 'pytorch_scaling.py'), join(__dirname, '..', '..', 'bench', 'pytorch_scaling.py')].find(existsSync);
  if (!script) return 'bench/pytorch_scaling.py not found';
  // The system Python has torch here; PYTHON picks another.
  const python = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  let out: string;
  try {
    out = execFileSync(python, [script, ...(quick ? ['--quick'] : [])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: peerEnv(ts.backendInfo().cpu.threads),
    });
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '').trim();
    return `${python} ${script} failed: ${stderr.split('\n').pop() || (e as Error).message}`;
  }
  const rates = new Map<string, number>();
  for (const line of out.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length >= 6 && /^\d/.test(cells[2])) rates.set(`${cells[1]}|${cells[2]}|${cells[3]}`, Number(cells[4]));
  }
  return rates;
}

function main(): void {
  const quick = process.argv.includes('--quick');
  const passes = Number(arg('passes', '1'));
  if (!Number.isInteger(passes) || passes < 1) throw new Error(`bench:scaling: --passes takes a positive integer, got ${arg('passes', '1')}`);
  const info = ts.backendInfo();
  console.log(`Tessera training samples/s over batch size and sequence length, Adam (cpu ${info.cpu.isa}, ${info.cpu.threads} threads)\n`);
  const ours = points().map((p) => ({ p, rates: [] as number[], ratios: [] as number[], peer: [] as number[] }));
  let peerError: string | null = null;
  for (let pass = 0; pass < passes; pass++) {
    for (const point of ours) point.rates.push(measure(point.p, quick));
    if (!process.argv.includes('--pytorch') || peerError !== null) continue;
    const peer = pytorchRates(quick);
    if (typeof peer === 'string') peerError = peer;
    else
      for (const point of ours) {
        const theirs = peer.get(key(point.p));
        if (theirs === undefined) continue;
        point.peer.push(theirs);
        point.ratios.push(point.rates[pass] / theirs);
      }
  }
  if (peerError !== null) console.log(`(PyTorch: ${peerError})\n`);
  const withPeer = ours.some((point) => point.peer.length > 0);
  const ratioCell = (r: number[]) =>
    r.length === 0 ? 'n/a' : r.length === 1 ? r[0].toFixed(2) : `${median(r).toFixed(2)} (${Math.min(...r).toFixed(2)}-${Math.max(...r).toFixed(2)})`;
  if (passes > 1) console.log(`Medians of ${passes} passes; the ratio is the median (range) of each pass's.\n`);
  console.log(`| model | batch | seq len | Tessera samples/s |${withPeer ? ' PyTorch samples/s | Tessera / PyTorch |' : ''}`);
  console.log(`|---|---:|---:|---:|${withPeer ? '---:|---:|' : ''}`);
  for (const { p, rates, peer, ratios } of ours) {
    const extra = withPeer ? ` ${peer.length ? median(peer).toFixed(0) : 'n/a'} | ${ratioCell(ratios)} |` : '';
    console.log(`| ${p.model} | ${p.batch} | ${p.seq || '-'} | ${median(rates).toFixed(0)} |${extra}`);
  }
}

if (require.main === module) main();
