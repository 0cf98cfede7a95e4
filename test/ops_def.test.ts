import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { backendInfo } from '../src';
import { native } from '../src/native/binding';
import { packAttrs } from '../src/native/op_attrs';
import { OP, OPS_DEF_HASH } from '../src/native/op_ids';

describe('ops.def', () => {
  it('has generated TypeScript op ids that are current', () => {
    const root = join(__dirname, '..');
    expect(() => execFileSync(process.execPath, [join(root, 'scripts', 'gen-ops.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('matches the table the loaded addon was built from', () => {
    expect(backendInfo().opsDefHash).toBe(OPS_DEF_HASH);
  });
});

describe('backendInfo', () => {
  it('reports the CPU and whether CUDA loaded', () => {
    const info = backendInfo();
    expect(['avx512', 'avx2', 'portable']).toContain(info.cpu.isa);
    expect(info.cpu.threads).toBeGreaterThanOrEqual(1);
    expect(typeof info.cuda.loaded).toBe('boolean');
    if (!info.cuda.loaded) expect(info.cuda.reason).toMatch(/\w/);
  });
});

describe('typed attributes', () => {
  const cpu = -1;
  const spec = (dims: number[]) => new Float64Array([cpu, 0, dims.length, ...dims]);

  it('pack in the order ops.def gives, from named fields', () => {
    const conv = { strides: [2, 3], dilations: [4, 5], padding: [6, 7, 8, 9], groups: 10 } as const;
    expect([...packAttrs.conv2d(conv)]).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([...packAttrs.pad({ paddings: [1, 2, 3, 4], constantValue: 0.5 })]).toEqual([1, 2, 3, 4, 0.5]);
    expect([...packAttrs.adam_update({ learningRate: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 1e-7, step: 3, weightDecay: 0, amsgrad: true })]).toEqual([
      0.1, 0.9, 0.99, 1e-7, 3, 0, 1,
    ]);
    // A wrong field is a compile error (tsc checks these lines).
    // @ts-expect-error padding has 4 entries
    packAttrs.conv2d({ strides: [1, 1], dilations: [1, 1], padding: [0, 0, 0], groups: 1 });
    // @ts-expect-error no such field
    packAttrs.gather({ axes: 0 });
  });

  it('are checked by count and type before any kernel runs, naming the kernel and the spec', () => {
    const x = native.createTensor(new Float32Array(6), [2, 3], 0, cpu);
    try {
      expect(() => native.run(OP.fill, [], new Float64Array([]), spec([2]))).toThrow('fill: expected 1 attribute(s) (double value), got 0');
      expect(() => native.run(OP.copy, [x], new Float64Array([1]), spec([2, 3]))).toThrow('copy: expected 0 attribute(s), got 1');
      expect(() => native.run(OP.transpose, [x], new Float64Array([1, 0, 2]), spec([3, 2]))).toThrow(
        'transpose: expected 2 attribute(s) (ints[rank(0)] perm), got 3',
      );
      expect(() => native.run(OP.reduce_sum, [x], new Float64Array([0, 1, 0]), spec([]))).toThrow('reduce_sum: expected at most 2 attribute(s)');
      expect(() => native.run(OP.transpose, [x], new Float64Array([1, 0.5]), spec([3, 2]))).toThrow(
        'transpose: attribute perm[1] must be a whole number, got 0.5',
      );
      expect(() => native.run(OP.matmul, [x, x], new Float64Array([2, 0]), spec([2, 2]))).toThrow('matmul: attribute transpose_a must be 0 or 1, got 2');
      expect(() => native.run(OP.dropout, [x], new Float64Array([-1, 0, 0.5]), new Float64Array([cpu, 0, 2, 2, 3, 3, 2, 2, 3]))).toThrow(
        'dropout: attribute seed must be a whole number >= 0, got -1',
      );
      expect(() => native.run(OP.fill, [], [0] as unknown as Float64Array, spec([2]))).toThrow('fill: expected the attributes as a Float64Array');
    } finally {
      native.dispose(x);
    }
  });

  it('refuse a spec the generator cannot read', () => {
    const script = `import { parseAttrSpec } from './scripts/ops-def-attrs.mjs';
for (const bad of ['int strides', 'double2 x', 'ints[rank(0)] a, int b, ints[<=rank(0)] c, int d', 'int a, int a', 'float x', 'int "x"']) {
  try { parseAttrSpec('k', bad); console.log('accepted ' + bad); } catch (e) { console.log('refused'); }
}
console.log(JSON.stringify(parseAttrSpec('k', 'enum padding{valid,same}, ints[2*rank(1)] p')));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(__dirname, '..'), encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(out.slice(0, 6)).toEqual(['accepted int strides', 'refused', 'refused', 'refused', 'refused', 'refused']);
    expect(JSON.parse(out[6])).toEqual([
      { name: 'padding', kind: 'enum', count: 1, scalar: true, choices: ['valid', 'same'] },
      { name: 'p', kind: 'int', count: 0, rankInput: 1, multiple: 2, upTo: false },
    ]);
  });
});
