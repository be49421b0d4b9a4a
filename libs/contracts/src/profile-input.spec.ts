import { type JsonObject } from './events/group-definition.events';
import { isProfileId, profileInputProblem } from './profile-input';

describe('profile input checks', () => {
  it('takes ids of 1 to 128 characters, astral characters included', () => {
    expect(isProfileId('p-1')).toBe(true);
    expect(isProfileId('x'.repeat(128))).toBe(true);
    expect(isProfileId('👤 ünïcode')).toBe(true);
    expect(isProfileId('a\u00a0b')).toBe(true); // no-break space: not a control
  });

  it.each([
    ['empty', ''],
    ['129 characters', 'x'.repeat(129)],
    ['a NUL', 'a\u0000b'],
    ['a newline', 'a\nb'],
    ['DEL', 'a\u007f'],
    ['a C1 control (NEL)', 'a\u0085b'],
    ['the last C1 control', '\u009f'],
    ['a lone high surrogate', 'a\uD800'],
    ['a lone low surrogate', '\uDC00a'],
  ])('refuses an id with %s', (_, id) => {
    expect(isProfileId(id)).toBe(false);
    expect(profileInputProblem(id)).toMatch(/profile id/);
  });

  it('refuses attribute keys that would reach an object prototype, at any depth', () => {
    const nested = JSON.parse('{"a": [{"b": {"__proto__": {"polluted": true}}}]}') as JsonObject;
    expect(profileInputProblem('p', nested)).toBe('the attributes hold a key named __proto__');
    expect(profileInputProblem('p', { constructor: 1 })).toMatch(/constructor/);
    expect(profileInputProblem('p', { tier: 'gold', tags: ['prototype'] })).toBeNull();
  });

  it('refuses a number JSON.parse reads as Infinity', () => {
    const attributes = JSON.parse('{"aggregations": {"spend_all": 1e400}}') as JsonObject;
    expect(profileInputProblem('p', attributes)).toMatch(/too large to store/);
  });

  it('refuses attributes nested deeper than the limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = { d: deep };
    expect(profileInputProblem('p', deep as never)).toMatch(/deeper than 256/);
  });
});
