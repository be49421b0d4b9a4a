import {
  type ArgumentDeclaration,
  argumentsUsed,
  resolveRule,
  validateArgumentDeclarations,
  validateDefaults,
} from './arguments';
import { type JsonValue } from './json-value';
import { type RuleIssue } from './rule-issue';

const at = (issues: RuleIssue[]) => issues.map(({ path, code }) => `${code}@${path}`);

describe('validateArgumentDeclarations', () => {
  it('accepts a proper list', () => {
    expect(
      validateArgumentDeclarations([
        { name: 'threshold', type: 'number', required: true, description: 'Minimum spend' },
        { name: 'tiers', type: 'array', required: false, default: ['gold'] },
        { name: 'min_age', type: 'integer', required: false, default: 18 },
        { name: 'anything', type: 'any', required: false, default: null },
      ]),
    ).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ['a non-list', { name: 'a' }, ['invalid_declaration@']],
    ['an entry that is not an object', ['a'], ['invalid_declaration@0']],
    [
      'a duplicate name',
      [
        { name: 'a', type: 'string', required: true },
        { name: 'a', type: 'number', required: true },
      ],
      ['duplicate_name@1.name'],
    ],
    ['a missing name', [{ type: 'string', required: true }], ['invalid_name@0.name']],
    [
      'a name with a dot',
      [{ name: 'a.b', type: 'string', required: true }],
      ['invalid_name@0.name'],
    ],
    ['an unknown type', [{ name: 'a', type: 'date', required: true }], ['invalid_type@0.type']],
    [
      'a non-boolean required',
      [{ name: 'a', type: 'string', required: 'yes' }],
      ['invalid_declaration@0.required'],
    ],
    [
      'a non-string description',
      [{ name: 'a', type: 'any', required: true, description: 1 }],
      ['invalid_declaration@0.description'],
    ],
    [
      'an unknown key',
      [{ name: 'a', type: 'any', required: true, label: 'A' }],
      ['invalid_declaration@0.label'],
    ],
    [
      'a string default for a number',
      [{ name: 'a', type: 'number', required: false, default: '5' }],
      ['invalid_default@0.default'],
    ],
    [
      'a fractional default for an integer',
      [{ name: 'a', type: 'integer', required: false, default: 1.5 }],
      ['invalid_default@0.default'],
    ],
    [
      'an array default for an object',
      [{ name: 'a', type: 'object', required: false, default: [] }],
      ['invalid_default@0.default'],
    ],
    [
      'an object default for an array',
      [{ name: 'a', type: 'array', required: false, default: {} }],
      ['invalid_default@0.default'],
    ],
    [
      'a number default for a boolean',
      [{ name: 'a', type: 'boolean', required: false, default: 0 }],
      ['invalid_default@0.default'],
    ],
    [
      'a null default for a string',
      [{ name: 'a', type: 'string', required: false, default: null }],
      ['invalid_default@0.default'],
    ],
    [
      'a non-JSON default',
      [{ name: 'a', type: 'any', required: false, default: () => 1 }],
      ['invalid_default@0.default'],
    ],
    [
      'a NaN default',
      [{ name: 'a', type: 'any', required: false, default: Number.NaN }],
      ['non_finite_number@0.default'],
    ],
    [
      'a default of 1e400, as JSON.parse reads it',
      JSON.parse('[{"name": "a", "type": "number", "required": false, "default": 1e400}]'),
      ['non_finite_number@0.default'],
    ],
    [
      'an array default holding -1e400',
      JSON.parse('[{"name": "a", "type": "array", "required": false, "default": [1, -1e400]}]'),
      ['non_finite_number@0.default.1'],
    ],
    ...['__proto__', 'constructor', 'prototype'].map((name): [string, unknown, string[]] => [
      `the reserved name ${name}`,
      [{ name, type: 'object', required: false, default: { polluted: true } }],
      ['invalid_name@0.name'],
    ]),
  ])('refuses %s', (_name, declarations, expected) => {
    expect(at(validateArgumentDeclarations(declarations))).toEqual(expected);
  });
});

describe('validateDefaults', () => {
  const declare = (type: ArgumentDeclaration['type'], fallback: JsonValue) => [
    { name: 'a', type, required: false, default: fallback },
  ];

  it('accepts defaults that make a valid rule', () => {
    expect(
      validateDefaults({ in: [{ var: 'tier' }, { arg: 'a' }] }, declare('array', ['x'])),
    ).toEqual([]);
    expect(validateDefaults({ '>': [{ var: 'n' }, { arg: 'a' }] }, declare('number', 3))).toEqual(
      [],
    );
  });

  it.each<[string, JsonValue, ArgumentDeclaration[]]>([
    [
      'an object default read as an unknown operation',
      { if: [{ arg: 'a' }, 1, 0] },
      declare('object', { foo: 1 }),
    ],
    ['an empty object default', { '!': { arg: 'a' } }, declare('any', {})],
    [
      'a string default that is an unsafe path',
      { var: { arg: 'a' } },
      declare('string', 'x.__proto__'),
    ],
    [
      'a default that becomes an operation with the wrong arity',
      { '!': [{ arg: 'a' }] },
      declare('object', { '==': [1] }),
    ],
  ])('refuses %s, at the declaration, as invalid_default', (_name, template, declarations) => {
    const issues = validateDefaults(template, declarations);
    expect(at(issues)).toEqual(['invalid_default@0.default']);
    expect(issues[0]?.message).toContain('With this default the rule is invalid');
  });

  it('blames a default only for what it causes', () => {
    // With no value, `list` is null and `in` against null is refused: not `a`'s doing.
    const declarations: ArgumentDeclaration[] = [
      { name: 'list', type: 'array', required: false },
      { name: 'a', type: 'string', required: false, default: 'tier' },
      { name: 'b', type: 'object', required: true, default: { nope: [] } },
    ];
    const template: JsonValue = {
      and: [{ in: [{ var: { arg: 'a' } }, { arg: 'list' }] }, { '!': { arg: 'b' } }],
    };
    expect(at(validateDefaults(template, declarations))).toEqual(['invalid_default@2.default']);
  });
});

describe('argumentsUsed', () => {
  it('lists placeholder names once, in order of first use', () => {
    const template: JsonValue = {
      and: [
        { '>=': [{ var: 'spend' }, { arg: 'threshold' }] },
        { in: [{ var: 'tier' }, { arg: 'tiers' }] },
        { '<': [{ var: 'spend' }, { '*': [{ arg: 'threshold' }, 10] }] },
      ],
    };
    expect(argumentsUsed(template)).toEqual(['threshold', 'tiers']);
  });

  it('finds nothing in a plain rule and ignores names that are not strings', () => {
    expect(argumentsUsed({ '==': [{ var: 'a' }, 1] })).toEqual([]);
    expect(argumentsUsed({ '==': [{ arg: 1 }, { arg: ['x'] }] })).toEqual([]);
  });
});

describe('resolveRule', () => {
  const declarations: ArgumentDeclaration[] = [
    { name: 'threshold', type: 'number', required: true },
    { name: 'tiers', type: 'array', required: false, default: ['gold'] },
    { name: 'label', type: 'string', required: false },
  ];
  const template: JsonValue = {
    and: [
      { '>=': [{ var: 'spend' }, { arg: 'threshold' }] },
      { in: [{ var: 'tier' }, { arg: 'tiers' }] },
    ],
  };

  it('replaces each placeholder with its value', () => {
    expect(resolveRule(template, declarations, { threshold: 100, tiers: ['silver'] })).toEqual({
      rule: {
        and: [{ '>=': [{ var: 'spend' }, 100] }, { in: [{ var: 'tier' }, ['silver']] }],
      },
      issues: [],
    });
  });

  it('falls back to the default when a value is absent or null', () => {
    const expected = {
      and: [{ '>=': [{ var: 'spend' }, 5] }, { in: [{ var: 'tier' }, ['gold']] }],
    };
    expect(resolveRule(template, declarations, { threshold: 5 }).rule).toEqual(expected);
    expect(resolveRule(template, declarations, { threshold: 5, tiers: null }).rule).toEqual(
      expected,
    );
  });

  it('puts null for an optional argument with neither value nor default', () => {
    expect(resolveRule({ cat: ['Hi ', { arg: 'label' }] }, declarations, { threshold: 1 })).toEqual(
      {
        rule: { cat: ['Hi ', null] },
        issues: [],
      },
    );
  });

  it('reports a required argument without a value, at its name', () => {
    const { rule, issues } = resolveRule(template, declarations, {});
    expect(at(issues)).toEqual([
      'missing_argument@threshold',
      'unresolved_argument@and.0.>=.1.arg',
    ]);
    expect(rule).toEqual({
      and: [
        { '>=': [{ var: 'spend' }, { arg: 'threshold' }] },
        { in: [{ var: 'tier' }, ['gold']] },
      ],
    });
  });

  it('reports a value not of its type', () => {
    expect(at(resolveRule(template, declarations, { threshold: '100' }).issues)).toEqual([
      'argument_type@threshold',
      'unresolved_argument@and.0.>=.1.arg',
    ]);
    const integer: ArgumentDeclaration[] = [{ name: 'n', type: 'integer', required: true }];
    expect(at(resolveRule({ arg: 'n' }, integer, { n: 2.5 }).issues)).toContain('argument_type@n');
    expect(resolveRule({ arg: 'n' }, integer, { n: 2 }).issues).toEqual([]);
  });

  it('reports a value holding a number JSON cannot, at its name', () => {
    const values = JSON.parse('{"threshold": 1e400, "tiers": ["a", -1e400]}') as Record<
      string,
      JsonValue
    >;
    const { issues } = resolveRule(template, declarations, values);
    expect(at(issues)).toEqual([
      'non_finite_number@threshold',
      'non_finite_number@tiers.1',
      'unresolved_argument@and.0.>=.1.arg',
      'unresolved_argument@and.1.in.1.arg',
    ]);
  });

  it('reports values for undeclared arguments', () => {
    expect(at(resolveRule(template, declarations, { threshold: 1, colour: 'red' }).issues)).toEqual(
      ['unknown_argument@colour'],
    );
  });

  it('reports a placeholder naming an undeclared argument, at its path', () => {
    const { issues } = resolveRule({ or: [{ arg: 'threshold' }, { arg: 'nope' }] }, declarations, {
      threshold: 1,
    });
    expect(at(issues)).toEqual(['undeclared_argument@or.1.arg', 'unresolved_argument@or.1.arg']);
  });

  it('validates the resolved rule like any rule', () => {
    const field: ArgumentDeclaration[] = [{ name: 'field', type: 'string', required: true }];
    const { issues } = resolveRule({ var: { arg: 'field' } }, field, { field: 'a.__proto__' });
    expect(at(issues)).toEqual(['unsafe_path@var']);
    const ops: ArgumentDeclaration[] = [{ name: 'when', type: 'object', required: true }];
    expect(
      at(resolveRule({ if: [{ arg: 'when' }, 1, 0] }, ops, { when: { foo: 1 } }).issues),
    ).toEqual(['unknown_operator@if.0.foo']);
  });

  it('copies values, leaving the template and the values as they were', () => {
    const tiers = ['silver'];
    const values = { threshold: 1, tiers };
    const before = structuredClone(template);
    const { rule } = resolveRule(template, declarations, values);
    tiers.push('bronze');
    expect(template).toEqual(before);
    expect(rule).toEqual({
      and: [{ '>=': [{ var: 'spend' }, 1] }, { in: [{ var: 'tier' }, ['silver']] }],
    });
  });
});
