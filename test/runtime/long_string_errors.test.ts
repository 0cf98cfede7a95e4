// A long string passed by mistake (a document where a tensor or option goes) is quoted cut
// in the error, with its length, not whole.
import * as ts from '../../src';
import { describe as describeValue, quoted } from '../../src/tensor/shape';

const long = 'a long string '.repeat(500);

describe('long strings in errors', () => {
  it('ts.tensor quotes the start and says the length', () => {
    let message = '';
    try {
      ts.tensor(long as never);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^tensor: expected a number, boolean, array or typed array, got 'a long string a long/);
    expect(message).toContain(`...' (a string of ${long.length} characters)`);
    expect(message.length).toBeLessThan(300);
  });

  it('the shared describe and quoted helpers cut at one place; short strings stay whole', () => {
    expect(describeValue('relu')).toBe("'relu' (a string)");
    expect(quoted('relu')).toBe("'relu'");
    expect(describeValue('x'.repeat(80))).toBe(`'${'x'.repeat(80)}' (a string)`);
    expect(describeValue('x'.repeat(81))).toBe(`'${'x'.repeat(80)}...' (a string of 81 characters)`);
    expect(quoted(long)).toBe(`'${long.slice(0, 80)}...'`);
    // Inside an array too.
    expect(describeValue([long])).toBe(`['${long.slice(0, 80)}...']`);
  });

  it('an option given a long string', () => {
    expect(() => ts.layers.dense({ units: 2, activation: long as never })).toThrow(/'a long string a long string[^']*\.\.\.'/);
  });
});
