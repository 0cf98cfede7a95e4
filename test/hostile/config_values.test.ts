// utils.Config and serializeKerasObject given what JavaScript allows besides assignment:
// Object.defineProperty (it made a property that hid the key, even when frozen), a config
// holding itself (util.inspect printed 1.3 MB; toJson a bare TypeError) and a value holding
// itself (a stack overflow).
import { inspect } from 'node:util';
import * as ts from '../../src';

describe('utils.Config', () => {
  it('Object.defineProperty sets a key as assignment does, and is refused when frozen', () => {
    const c = new ts.utils.Config({ a: 1 });
    Object.defineProperty(c, 'a', { value: 5 });
    expect([c.a, c.get('a')]).toEqual([5, 5]);
    c.a = 6; // still a key, not a property of the Config
    expect(c.get('a')).toBe(6);
    c.freeze();
    expect(() => Object.defineProperty(c, 'a', { value: 2 })).toThrow('Config.a: cannot change the config: it is frozen (call unfreeze() first)');
    expect(c.a).toBe(6);
    c.unfreeze();
    expect(() => Object.defineProperty(c, 'b', { get: () => 1 })).toThrow("Config: a key's value cannot be a getter or setter, got one for 'b'");
    expect(() => Object.defineProperty(c, 'freeze', { value: 1 })).toThrow("Config: 'freeze' is a method or property of Config");
  });

  it('util.inspect of a config holding itself stops at the depth', () => {
    const c = new ts.utils.Config({ n: 1 });
    c.self = c;
    const shown = inspect(c);
    expect(shown.length).toBeLessThan(200);
    expect(shown).toContain('[Config]');
    expect(inspect(new ts.utils.Config({ x: [1, 2] }))).toBe('Config { x: [ 1, 2 ] }');
  });

  it('toJson of a config holding itself names itself', () => {
    const c = new ts.utils.Config();
    c.self = c;
    expect(() => c.toJson()).toThrow('Config.toJson: the values cannot be written as JSON (Converting circular structure to JSON)');
  });
});

describe('utils.serializeKerasObject', () => {
  it('refuses a value holding itself (a stack overflow before)', () => {
    const o: Record<string, unknown> = { units: 2 };
    o.self = o;
    expect(() => ts.utils.serializeKerasObject(o)).toThrow('utils.serializeKerasObject: the value nests more than 1000 levels deep; does it hold itself?');
    const list: unknown[] = [1];
    list.push(list);
    expect(() => ts.utils.serializeKerasObject(list)).toThrow('utils.serializeKerasObject: the value nests');
  });
});
