import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { backendInfo } from '../src';
import { OPS_DEF_HASH } from '../src/native/op_ids';

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
