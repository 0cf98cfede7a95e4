// {className, config} with a config that is not an object of options is refused by name,
// never read as no options (NaN) or as options named '0', '1', ... (a string).
import * as ts from '../../src';

describe('a serialized object whose config is not an object', () => {
  it.each([NaN, 'units', [1], 7])('optimizers.get and constraints.get refuse config %p', (config) => {
    expect(() => ts.optimizers.get({ className: 'Adam', config } as never)).toThrow(
      /^optimizers\.get: expected the config of 'Adam' to be an object of options, got /,
    );
    expect(() => ts.constraints.get({ className: 'NonNeg', config } as never)).toThrow(/expected the config of 'NonNeg' to be an object of options, got /);
  });

  it('still takes an absent or null config as no options', () => {
    expect(ts.optimizers.get({ className: 'Adam' } as never).learningRate).toBe(0.001);
    expect(ts.optimizers.get({ className: 'Adam', config: null } as never).learningRate).toBe(0.001);
    expect(ts.constraints.get({ className: 'NonNeg' } as never)).toBeInstanceOf(ts.constraints.NonNeg);
  });
});
