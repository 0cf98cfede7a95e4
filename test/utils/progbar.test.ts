// utils.Progbar against Keras 3.15's keras.utils.Progbar: the lines below are what Keras
// prints for the same calls, with the times (which vary) replaced by <t>.
import { utils } from '../../src';

const untimed = (s: string) =>
  s
    .replace(/\d+(ms|us|s)\/(step|sample)/g, '<t>/$2')
    .replace(/ \d+s /g, ' <t> ')
    .replace(/ETA \d+s/g, 'ETA <t>');

describe('utils.Progbar', () => {
  test("verbose 2: one line at the end, values averaged per step, stateful ones as given, the final one as given (Keras's)", () => {
    const out: string[] = [];
    const bar = new utils.Progbar(4, { verbose: 2, statefulMetrics: ['acc'], write: (t) => void out.push(t), isTTY: false });
    bar.update(1, [
      ['loss', 1],
      ['acc', 0.5],
    ]);
    bar.update(3, { loss: 4, acc: 0.75, tiny: 0.0001 });
    expect(out).toEqual([]);
    bar.add(1, [['loss', 2]]);
    // Keras 3.15: '4/4 - 0s - 10us/step - loss: 2.0000 - acc: 0.7500 - tiny: 1.0000e-04'
    expect(out.map(untimed)).toEqual(['4/4 - <t> - <t>/step - loss: 2.0000 - acc: 0.7500 - tiny: 1.0000e-04\n']);
  });

  test('verbose 1 on a terminal: the bar redrawn in place with the running means, its width and unit', () => {
    const out: string[] = [];
    const bar = new utils.Progbar(4, { width: 8, interval: 0, unitName: 'sample', write: (t) => void out.push(t), isTTY: true });
    bar.update(1, [['loss', 1]]);
    bar.update(3, [['loss', 4]]);
    bar.update(4, [['loss', 2]]);
    expect(out.map(untimed)).toEqual([
      '\r\x1b[2K1/4 ━━────── ETA <t> - loss: 1.0000',
      '\r\x1b[2K3/4 ━━━━━━── ETA <t> - loss: 3.0000',
      '\r\x1b[2K4/4 ━━━━━━━━ <t> <t>/sample - loss: 2.0000\n',
    ]);
  });

  test('bad arguments name the class and the argument', () => {
    expect(() => new utils.Progbar(-1)).toThrow(/utils.Progbar: expected target to be an integer >= 0 or null/);
    expect(() => new utils.Progbar(3, { verbose: 3 })).toThrow(/expected verbose to be 0, 1 or 2, got 3/);
    expect(() => new utils.Progbar(3, { statefulMetrics: ['a'], statelessMetrics: ['b'] })).toThrow(/only one of statefulMetrics or statelessMetrics/);
    expect(() => new utils.Progbar(3, { widht: 3 } as never)).toThrow(/widht/);
    const bar = new utils.Progbar(3, { verbose: 0 });
    expect(() => bar.update(1.5)).toThrow(/utils.Progbar.update: expected current to be an integer >= 0, got 1.5/);
    expect(() => bar.update(1, [['loss']] as never)).toThrow(/utils.Progbar.update: expected values as \[name, value\] pairs/);
    expect(() => bar.add(-1)).toThrow(/utils.Progbar.add: expected n to be an integer >= 0/);
  });
});
