// utils.enable/disableInteractiveLogging (Keras's io_utils): off, the progress bars print
// plain lines through console.info instead of redrawing a live bar on stdout.
import * as ts from '../../src';
import { tensor } from '../../src';

async function fitOutput(write?: (t: string) => void): Promise<void> {
  ts.setSeed(1);
  const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [1] })] });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const cb = new ts.callbacks.ProgbarLogger({ verbose: 1, isTTY: true, ...(write ? { write } : {}) });
  await m.fit(tensor([[1], [2], [3], [4]]), tensor([[1], [2], [3], [4]]), { epochs: 2, batchSize: 1, verbose: 0, callbacks: [cb] });
}

describe('utils interactive logging', () => {
  afterEach(() => ts.utils.enableInteractiveLogging());

  it('is on by default; off, a terminal bar prints plain lines (no redraws)', async () => {
    expect(ts.utils.isInteractiveLoggingEnabled()).toBe(true);
    const live: string[] = [];
    await fitOutput((t) => live.push(t));
    expect(live.some((t) => t.startsWith('\r'))).toBe(true);
    ts.utils.disableInteractiveLogging();
    expect(ts.utils.isInteractiveLoggingEnabled()).toBe(false);
    const plain: string[] = [];
    await fitOutput((t) => plain.push(t));
    expect(plain.some((t) => t.includes('\r'))).toBe(false);
    expect(plain.filter((t) => t.startsWith('Epoch '))).toEqual(['Epoch 1/2\n', 'Epoch 2/2\n']);
    expect(plain.filter((t) => t.includes('loss:'))).toHaveLength(2);
  });

  it('off, the default output goes to console.info one line at a time, and utils.Progbar too', async () => {
    ts.utils.disableInteractiveLogging();
    const lines: string[] = [];
    const info = jest.spyOn(console, 'info').mockImplementation((t: unknown) => void lines.push(String(t)));
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await fitOutput();
      const bar = new ts.utils.Progbar(2, { isTTY: true });
      bar.update(1);
      bar.update(2);
      expect(out).not.toHaveBeenCalled();
    } finally {
      out.mockRestore();
      info.mockRestore();
    }
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines.every((l) => !l.includes('\r') && !l.endsWith('\n'))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^2\/2 /);
  });

  it('refuses arguments', () => {
    expect(() => (ts.utils.disableInteractiveLogging as (...a: unknown[]) => void)(true)).toThrow(
      /utils.disableInteractiveLogging: expected at most 0 arguments, got 1/,
    );
  });
});
