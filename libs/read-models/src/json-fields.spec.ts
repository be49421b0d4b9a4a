import { jsonFieldCodec } from './json-fields';

interface Sample {
  _id: number;
  name: string;
  rule: unknown;
  meta: unknown;
}

const codec = jsonFieldCodec<Sample, 'rule' | 'meta'>(['rule', 'meta']);

describe('jsonFieldCodec', () => {
  const sample: Sample = {
    _id: 1,
    name: 'tiers',
    rule: { in: [{ var: 'tier' }, ['gold', ['nested']]] },
    meta: { $weird: { 'a.b': [[1], [2]] } },
  };

  it('stores each free-form field as a JSON string beside the scalar fields', () => {
    expect(codec.encode(sample)).toEqual({
      _id: 1,
      name: 'tiers',
      rule_json: JSON.stringify(sample.rule),
      meta_json: JSON.stringify(sample.meta),
    });
  });

  it('decodes what it encoded to an equal value', () => {
    expect(codec.decode(codec.encode(sample))).toEqual(sample);
  });

  it('stores null for a missing value and decodes a missing field as null', () => {
    const encoded = codec.encode({ ...sample, meta: undefined });

    expect(encoded.meta_json).toBe('null');
    expect(codec.decode({ _id: 2, name: 'x', rule_json: 'true' } as never)).toEqual({
      _id: 2,
      name: 'x',
      rule: true,
      meta: null,
    });
  });
});
