import { MAX_JSON_DEPTH, unsafeJsonPaths } from './http-pipeline';

describe('unsafeJsonPaths', () => {
  it('accepts what free-form JSON holds: arrays in arrays, $ and . keys', () => {
    expect(
      unsafeJsonPaths({
        rule: { in: [{ var: 'tier' }, [['gold'], 'platinum']] },
        meta: { $set: 1, 'a.b': { $in: [[1]] } },
      }),
    ).toEqual({});
  });

  it('refuses prototype keys, NUL and lone surrogates in keys and strings, by path', () => {
    const body = JSON.parse(
      '{"meta":{"__proto__":{"x":1},"a\\u0000b":1,"ok":["\\ud800"]},"name":"a\\u0000"}',
    ) as object;

    expect(unsafeJsonPaths(body)).toEqual({
      'meta.__proto__': ['The key __proto__ is not allowed.'],
      'meta.a\u0000b': ['The key "a\\u0000b" contains a NUL character.'],
      'meta.ok.0': ['The meta.ok.0 field is not valid Unicode (a lone surrogate).'],
      name: ['The name field contains a NUL character.'],
    });
  });

  it('refuses numbers JSON.parse reads as Infinity, which would be stored as null', () => {
    const body = JSON.parse('{"meta":{"big":1e400,"list":[1,-1e400]},"ok":1e300}') as object;

    expect(unsafeJsonPaths(body)).toEqual({
      'meta.big': ['The meta.big field is a number too large to store.'],
      'meta.list.1': ['The meta.list.1 field is a number too large to store.'],
    });
  });

  it('refuses nesting past its backstop depth', () => {
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_JSON_DEPTH; i++) deep = [deep];

    const problems = unsafeJsonPaths({ rule: deep });

    expect(Object.values(problems)).toEqual([
      [expect.stringContaining(`deeper than ${MAX_JSON_DEPTH} levels`)],
    ]);
  });
});
