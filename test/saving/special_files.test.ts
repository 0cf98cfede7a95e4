// Loaders refuse files that are not regular files before reading them: a pipe or a
// device (model.json -> /dev/zero) never ends, so a load waited, or filled memory, forever.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { layers, loadModel, sequential } from '../../src';
import { readIdx } from '../../src/data/idx';
import { tempDir } from './helpers';

const dir = tempDir();
const writers: ChildProcess[] = [];
afterAll(() => writers.forEach((w) => w.kill('SIGKILL')));

// A FIFO with a writer waiting on it: without the check, a loader reads 'x' from it (and
// fails on other grounds, or hangs when no writer comes); with it, nothing opens the FIFO.
function fifo(file: string): string {
  execFileSync('mkfifo', [file]);
  writers.push(spawn('sh', ['-c', `printf x > '${file}'`], { stdio: 'ignore' }));
  return file;
}

test('a weights file that is a pipe is refused, naming it', async () => {
  const model = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'd' })] });
  const folder = path.join(dir, 'tfjs');
  await model.save(folder);
  const json = JSON.parse(fs.readFileSync(path.join(folder, 'model.json'), 'utf8'));
  for (const f of fs.readdirSync(folder)) if (f.endsWith('.bin')) fs.rmSync(path.join(folder, f));
  json.weightsManifest[0].paths = ['weights.bin'];
  fs.writeFileSync(path.join(folder, 'model.json'), JSON.stringify(json));
  const bin = fifo(path.join(folder, 'weights.bin'));
  await expect(loadModel(folder)).rejects.toThrow(`lists the weights file 'weights.bin', but ${bin} is a FIFO (named pipe), not a file`);
});

test('a model.json, a .keras file or weights that are a pipe are refused, naming them', async () => {
  const folder = path.join(dir, 'json');
  fs.mkdirSync(folder);
  const json = fifo(path.join(folder, 'model.json'));
  await expect(loadModel(folder)).rejects.toThrow(`cannot read TensorFlow.js model.json ${json}: it is a FIFO (named pipe), not a file`);
  const keras = fifo(path.join(dir, 'm.keras'));
  await expect(loadModel(keras)).rejects.toThrow(`loadModel: ${keras} is a FIFO (named pipe), not a model or weights file`);
  const model = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'd' })] });
  const weights = fifo(path.join(dir, 'w.weights.h5'));
  await expect(model.loadWeights(weights)).rejects.toThrow(`${weights} is a FIFO (named pipe), not a model or weights file`);
});

test('an IDX file that is a pipe is refused', () => {
  const idx = fifo(path.join(dir, 'x.idx'));
  expect(() => readIdx(idx)).toThrow(`readIdx: cannot read ${idx}: it is a FIFO (named pipe), not a file`);
});
