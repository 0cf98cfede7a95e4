// Folder saves (model.save to a folder, saveWeights to a folder) hold a complete save at
// every moment: a process killed at any point of a save leaves the previous save or the
// new one, a reader loading while another process saves always loads a whole save, and
// what killed saves leave behind is removed by the next save.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, type Model } from '../../src';
import { saverModel } from './processes/saver_model';
import { tempDir } from './helpers';

const dir = tempDir();
const root = path.resolve(__dirname, '..', '..');

type Mode = 'model' | 'weights';

/** Starts the save loop in a child process; resolves once it has made its first save. */
function startSaver(target: string, mode: Mode, stopFile?: string): Promise<{ child: ChildProcess; saved: () => number }> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      path.join(root, 'test', 'helpers', 'register-ts.js'),
      path.join(__dirname, 'processes', 'save_loop.ts'),
      target,
      mode,
      ...(stopFile === undefined ? [] : [stopFile]),
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let last = 0;
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /saved (\d+)\n(?![\s\S]*saved)/.exec(d.toString());
      if (m === null) return;
      if (last === 0) resolve({ child, saved: () => last });
      last = Number(m[1]);
    });
    child.on('exit', (code) => last === 0 && reject(new Error(`the save loop ended before saving (exit ${code}): ${stderr}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.on('exit', () => resolve())));

/** Loads what is at `target`; returns k when every weight is k (a whole save), else throws. */
async function loadSave(target: string, mode: Mode): Promise<number> {
  let model: Model<any>;
  if (mode === 'model') model = (await loadModel(target)) as Model<any>;
  else {
    model = saverModel();
    await model.loadWeights(target);
  }
  const values = new Set(model.weights.flatMap((w) => [...new Set(w.dataSync() as Float32Array)]));
  model.dispose();
  if (values.size !== 1) throw new Error(`a mixed save: weights hold ${[...values].slice(0, 5).join(', ')}`);
  return [...values][0];
}

const leftovers = (target: string) => [
  ...fs.readdirSync(target),
  ...fs.readdirSync(path.dirname(target)).filter((f) => f.startsWith(`${path.basename(target)}.`)),
];

describe.each<Mode>(['model', 'weights'])('%s saves to a folder', (mode) => {
  test('a save killed before each of its file-system changes leaves a whole save (the previous or the new one), and the next save cleans up', async () => {
    const target = path.join(dir, `killed-${mode}`);
    const outcomes: string[] = [];
    for (let at = 1; ; at++) {
      const run = spawnSync(
        process.execPath,
        ['-r', path.join(root, 'test', 'helpers', 'register-ts.js'), path.join(__dirname, 'processes', 'kill_during_save.ts'), target, mode, String(at)],
        { cwd: root, encoding: 'utf8', timeout: 60_000 },
      );
      const complete = run.status === 0 && run.stdout.includes('complete');
      if (!complete && run.signal !== 'SIGKILL') throw new Error(`the saving process failed (status ${run.status}, signal ${run.signal}): ${run.stderr}`);
      let k: number | string;
      try {
        k = await loadSave(target, mode);
      } catch (e) {
        k = (e as Error).message;
      }
      outcomes.push(`killed before change ${at}: ${k}`);
      if (complete) {
        expect(k).toBe(2);
        break;
      }
    }
    expect(outcomes.filter((o) => !/: [12]$/.test(o))).toEqual([]);
    // Kills at every step, so some left temporaries; one more save removes them and the superseded weights.
    const model = saverModel();
    if (mode === 'model') await model.save(target);
    else await model.saveWeights(target);
    const json = mode === 'model' ? 'model.json' : 'weights.json';
    const named = JSON.parse(fs.readFileSync(path.join(target, json), 'utf8')).weightsManifest[0].paths as string[];
    const files = leftovers(target);
    expect(files.filter((f) => /\.(tmp|old)-/.test(f))).toEqual([]);
    // Only this save's files and those of the save it replaced (a reader may still be reading them).
    expect(files.length).toBeLessThanOrEqual(1 + 2 * named.length);
    expect(files).toEqual(expect.arrayContaining([json, ...named]));
  }, 300_000);

  test('a reader loading while another process saves always loads a whole save', async () => {
    const target = path.join(dir, `concurrent-${mode}`);
    const stopFile = `${target}.stop`;
    const { child } = await startSaver(target, mode, stopFile);
    const failures: string[] = [];
    const seen = new Set<number>();
    let loads = 0;
    const done = exited(child).then(() => true);
    // Read until 30 loads saw at least 3 different saves (however loaded the machine is,
    // within a minute), then tell the saver to stop. Loads run on microtasks only;
    // setImmediate lets an early exit of the child be noticed.
    const deadline = Date.now() + 60_000;
    while ((loads < 30 || seen.size < 3) && Date.now() < deadline) {
      if (await Promise.race([done, new Promise<false>((r) => setImmediate(() => r(false)))])) break;
      try {
        seen.add(await loadSave(target, mode));
      } catch (e) {
        failures.push((e as Error).message);
      }
      loads++;
    }
    fs.writeFileSync(stopFile, '');
    await done;
    expect(child.exitCode).toBe(0);
    expect(failures).toEqual([]);
    expect(loads).toBeGreaterThanOrEqual(30);
    // The reader saw several saves, so it read while saves replaced each other.
    expect(seen.size).toBeGreaterThan(2);
  }, 120_000);
});

test('temporaries that a killed save of an earlier version left beside the folder are removed; those of live processes stay', async () => {
  const target = path.join(dir, 'old-leftovers');
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const stale = [`${target}.tmp-${dead}-abc123`, `${target}.old-${dead}-def456`];
  for (const s of stale) fs.mkdirSync(s, { recursive: true });
  fs.mkdirSync(target);
  fs.writeFileSync(path.join(target, `model.json.tmp-${dead}-x1`), '{');
  fs.writeFileSync(path.join(target, `model.json.tmp-${process.pid}-x2`), '{');
  await saverModel().save(target);
  for (const s of stale) expect(fs.existsSync(s)).toBe(false);
  expect(fs.existsSync(path.join(target, `model.json.tmp-${dead}-x1`))).toBe(false);
  expect(fs.existsSync(path.join(target, `model.json.tmp-${process.pid}-x2`))).toBe(true);
});

test('a weights file that is a folder is named as such', async () => {
  const target = path.join(dir, 'folder-weights');
  await saverModel().save(target);
  const name = JSON.parse(fs.readFileSync(path.join(target, 'model.json'), 'utf8')).weightsManifest[0].paths[0];
  fs.rmSync(path.join(target, name));
  fs.mkdirSync(path.join(target, name));
  await expect(loadModel(target)).rejects.toThrow(new RegExp(`lists the weights file '${name}', but .* is a folder, not a file`));
});
