import { type RuleDefinitionAttributes, type RuleDefinitionEvent } from '@profile-groups/contracts';

import { DomainError } from '../shared/domain-error';
import { decideRuleDefinition, type RuleDefinitionCommand } from './rule-definition.decide';
import { evolveRuleDefinition, type RuleDefinitionState } from './rule-definition.state';

const CREATED_AT = new Date('2026-04-01T08:00:00.000Z');
const LATER = new Date('2026-04-03T16:45:00.000Z');

const SPEND_TEMPLATE: RuleDefinitionAttributes = {
  handle: 'minimum-spend',
  name: 'Minimum lifetime spend',
  description: 'Profiles that spent at least the given amount.',
  evaluator: 'jsonlogic',
  rule: { '>=': [{ var: 'lifetime_spend' }, { arg: 'minimum' }] },
  arguments: [{ name: 'minimum', type: 'number', required: true }],
  meta: null,
};

function created(attributes: Partial<RuleDefinitionAttributes> = {}): RuleDefinitionEvent {
  return {
    type: 'RuleDefinitionCreated',
    data: {
      rule_definition_id: 3,
      definition: { ...SPEND_TEMPLATE, ...attributes },
      created_at: CREATED_AT.toISOString(),
    },
  };
}

const deleted: RuleDefinitionEvent = {
  type: 'RuleDefinitionDeleted',
  data: { rule_definition_id: 3, handle: 'minimum-spend', deleted_at: '2026-04-02T00:00:00.000Z' },
};

function given(...events: RuleDefinitionEvent[]): RuleDefinitionState | null {
  return events.reduce<RuleDefinitionState | null>(evolveRuleDefinition, null);
}

function create(attributes: Partial<RuleDefinitionAttributes> = {}): RuleDefinitionCommand {
  return {
    kind: 'CreateRuleDefinition',
    id: 3,
    attributes: { ...SPEND_TEMPLATE, ...attributes },
    now: CREATED_AT,
  };
}

function update(changes: Partial<RuleDefinitionAttributes>): RuleDefinitionCommand {
  return { kind: 'UpdateRuleDefinition', changes, now: LATER };
}

function remove(usedBy: string[] = []): RuleDefinitionCommand {
  return { kind: 'DeleteRuleDefinition', usedBy, now: LATER };
}

/** Runs the decision and returns the DomainError it throws, failing if it throws none. */
function refusal(state: RuleDefinitionState | null, command: RuleDefinitionCommand): DomainError {
  try {
    decideRuleDefinition(state, command);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${command.kind} to be refused`);
}

describe('decideRuleDefinition', () => {
  describe('CreateRuleDefinition', () => {
    it('given no events, emits RuleDefinitionCreated with the template and its declarations', () => {
      expect(decideRuleDefinition(given(), create())).toEqual([created()]);
    });

    it('given the definition exists, refuses a second create naming the id', () => {
      const error = refusal(given(created()), create());

      expect(error.code).toBe('validation_failed');
      expect(error.fieldErrors).toEqual({ id: ['Rule definition 3 already exists.'] });
    });

    it('refuses an unknown operator at its path under rule', () => {
      const error = refusal(
        given(),
        create({
          rule: {
            and: [{ '>=': [{ var: 'lifetime_spend' }, { arg: 'minimum' }] }, { between: [1] }],
          },
        }),
      );

      expect(error.code).toBe('validation_failed');
      expect(error.fieldErrors).toEqual({ 'rule.and.1.between': ['Unknown operator "between".'] });
      expect(error.message).toBe('Unknown operator "between".');
    });

    it.each(['__proto__', 'constructor', 'prototype'])(
      'refuses a var path through %s at the path of the var',
      (segment) => {
        const error = refusal(
          given(),
          create({
            rule: {
              and: [
                { '>=': [{ var: 'lifetime_spend' }, { arg: 'minimum' }] },
                { '==': [{ var: `profile.${segment}.admin` }, true] },
              ],
            },
          }),
        );

        expect(error.code).toBe('validation_failed');
        expect(error.fieldErrors).toEqual({
          'rule.and.1.==.0.var': [
            `The path "profile.${segment}.admin" uses "${segment}", which is not allowed.`,
          ],
        });
      },
    );

    it('refuses a placeholder whose argument is not declared', () => {
      const error = refusal(
        given(),
        create({
          rule: {
            and: [
              { '>=': [{ var: 'lifetime_spend' }, { arg: 'minimum' }] },
              { in: [{ var: 'tier' }, { arg: 'tiers' }] },
            ],
          },
        }),
      );

      expect(error.code).toBe('validation_failed');
      expect(error.fieldErrors).toEqual({ rule: ['The rule uses undeclared arguments: tiers.'] });
    });

    it('refuses a declaration list with a duplicate name and a default of the wrong type', () => {
      const error = refusal(
        given(),
        create({
          arguments: [
            { name: 'minimum', type: 'number', required: false, default: '500' },
            { name: 'minimum', type: 'integer', required: true },
          ],
        }),
      );

      expect(error.code).toBe('validation_failed');
      expect(error.fieldErrors).toEqual({
        'arguments.0.default': ['The default is not of type number.'],
        'arguments.1.name': ['The argument "minimum" is declared more than once.'],
      });
    });

    it('refuses an argument name that a placeholder could not use', () => {
      const error = refusal(
        given(),
        create({
          rule: { '>=': [{ var: 'lifetime_spend' }, { arg: 'minimum' }] },
          arguments: [
            { name: 'minimum', type: 'number', required: true },
            { name: '2nd', type: 'number', required: false },
          ],
        }),
      );

      expect(error.fieldErrors).toEqual({
        'arguments.1.name': [
          'An argument name is a letter or "_", then up to 63 letters, digits, "_" or "-"; __proto__, constructor and prototype are reserved.',
        ],
      });
    });

    it.each(['__proto__', 'constructor', 'prototype'])(
      'refuses the reserved argument name %s, in the declaration and the placeholder',
      (name) => {
        const error = refusal(
          given(),
          create({
            rule: { '>=': [{ var: 'lifetime_spend' }, { arg: name }] },
            arguments: [{ name, type: 'number', required: false, default: 1 }],
          }),
        );

        expect(error.fieldCodes).toEqual({
          'arguments.0.name': ['invalid_name'],
          'rule.>=.1.arg': ['invalid_argument'],
        });
      },
    );

    it('refuses a default of 1e400, which would be stored as null', () => {
      const error = refusal(
        given(),
        create({
          arguments: JSON.parse(
            '[{"name": "minimum", "type": "number", "required": false, "default": 1e400}]',
          ) as RuleDefinitionAttributes['arguments'],
        }),
      );

      expect(error.fieldCodes).toEqual({ 'arguments.0.default': ['non_finite_number'] });
    });

    it('refuses a default that could never resolve into a valid rule', () => {
      const error = refusal(
        given(),
        create({
          rule: { and: [{ var: 'opted_in' }, { arg: 'extra' }] },
          arguments: [{ name: 'extra', type: 'object', required: false, default: { nope: 1 } }],
        }),
      );

      expect(error.fieldCodes).toEqual({ 'arguments.0.default': ['invalid_default'] });
      expect(error.fieldErrors['arguments.0.default']).toEqual([
        'With this default the rule is invalid at and.1.nope: Unknown operator "nope".',
      ]);
    });

    it('reports problems of the declarations and of the rule together', () => {
      const error = refusal(
        given(),
        create({
          rule: {
            and: [{ '>=': [{ var: 'lifetime_spend' }, { arg: 'maximum' }] }, { bogus: 1 }],
          },
          arguments: [{ name: 'minimum', type: 'numeric' as 'number', required: true }],
        }),
      );

      expect(error.fieldErrors).toEqual({
        'arguments.0.type': [
          'The type is one of string, number, integer, boolean, array, object, any.',
        ],
        'rule.and.1.bogus': ['Unknown operator "bogus".'],
        rule: ['The rule uses undeclared arguments: maximum.'],
      });
    });
  });

  describe('UpdateRuleDefinition', () => {
    it('emits RuleDefinitionUpdated listing only the attributes that changed', () => {
      const events = decideRuleDefinition(
        given(created()),
        update({
          name: 'Minimum spend',
          handle: 'minimum-spend',
          arguments: [{ name: 'minimum', type: 'number', required: false, default: 250 }],
        }),
      );

      expect(events).toEqual([
        {
          type: 'RuleDefinitionUpdated',
          data: {
            rule_definition_id: 3,
            changes: {
              name: 'Minimum spend',
              arguments: [{ name: 'minimum', type: 'number', required: false, default: 250 }],
            },
            updated_at: LATER.toISOString(),
          },
        },
      ]);
    });

    it('emits nothing when every attribute given already has that value', () => {
      const state = given(created());

      expect(
        decideRuleDefinition(
          state,
          update({
            rule: { '>=': [{ var: 'lifetime_spend' }, { arg: 'minimum' }] },
            arguments: [{ required: true, type: 'number', name: 'minimum' }],
            meta: null,
            evaluator: 'jsonlogic',
            name: undefined,
          }),
        ),
      ).toEqual([]);
    });

    it('validates the rule it would leave, the unchanged declarations included', () => {
      const error = refusal(
        given(created()),
        update({ rule: { '>=': [{ var: 'lifetime_spend' }, { arg: 'threshold' }] } }),
      );

      expect(error.code).toBe('validation_failed');
      expect(error.fieldErrors).toEqual({
        rule: ['The rule uses undeclared arguments: threshold.'],
      });
    });

    it('refuses to drop a declaration the unchanged rule still uses', () => {
      const error = refusal(given(created()), update({ arguments: [] }));

      expect(error.fieldErrors).toEqual({ rule: ['The rule uses undeclared arguments: minimum.'] });
    });

    it('refuses an unsafe path in a new rule at its path under rule', () => {
      const error = refusal(
        given(created()),
        update({ rule: { '>=': [{ var: '__proto__' }, { arg: 'minimum' }] } }),
      );

      expect(error.fieldErrors).toEqual({
        'rule.>=.0.var': ['The path "__proto__" uses "__proto__", which is not allowed.'],
      });
    });

    it('refuses to change the evaluator with immutable_field naming it', () => {
      const error = refusal(
        given(created()),
        update({ evaluator: 'cel' as 'jsonlogic', name: 'Renamed' }),
      );

      expect(error.code).toBe('immutable_field');
      expect(error.fieldErrors).toEqual({
        evaluator: ['The evaluator of a rule definition cannot change.'],
      });
    });

    it('refuses to update a definition that was deleted', () => {
      expect(refusal(given(created(), deleted), update({ name: 'Back' })).code).toBe('not_found');
    });

    it('refuses to update a definition that never existed', () => {
      expect(refusal(given(), update({ name: 'Nobody' })).code).toBe('not_found');
    });
  });

  describe('DeleteRuleDefinition', () => {
    it('emits RuleDefinitionDeleted with the handle it releases', () => {
      expect(decideRuleDefinition(given(created()), remove())).toEqual([
        {
          type: 'RuleDefinitionDeleted',
          data: {
            rule_definition_id: 3,
            handle: 'minimum-spend',
            deleted_at: LATER.toISOString(),
          },
        },
      ]);
    });

    it('refuses while group rules use it, with rule_definition_in_use naming them', () => {
      const error = refusal(given(created()), remove(['7:1', '9:4']));

      expect(error.code).toBe('rule_definition_in_use');
      expect(error.message).toBe('Rule definition 3 is used by group rules 7:1, 9:4.');
    });

    it('refuses to delete it twice', () => {
      expect(refusal(given(created(), deleted), remove()).code).toBe('not_found');
    });
  });
});

describe('evolveRuleDefinition', () => {
  it('starts at version 1 and moves on with each update and the deletion', () => {
    const renamed: RuleDefinitionEvent = {
      type: 'RuleDefinitionUpdated',
      data: {
        rule_definition_id: 3,
        changes: { name: 'Minimum spend' },
        updated_at: LATER.toISOString(),
      },
    };

    expect(given(created())?.version).toBe(1);
    expect(given(created(), renamed)).toEqual({
      id: 3,
      version: 2,
      attributes: { ...SPEND_TEMPLATE, name: 'Minimum spend' },
      created_at: CREATED_AT.toISOString(),
      updated_at: LATER.toISOString(),
      deleted: false,
    });
    expect(given(created(), renamed, deleted)).toMatchObject({ version: 3, deleted: true });
  });

  it('folds the events a decision emits into a state the same decision leaves unchanged', () => {
    const command = update({ description: null, meta: { owner: 'crm' } });
    const state = given(created());
    const after = decideRuleDefinition(state, command).reduce(evolveRuleDefinition, state);

    expect(decideRuleDefinition(after, command)).toEqual([]);
  });
});

describe('rules that are not operations', () => {
  it.each([['true'], [true], [0], [null], [[{ var: 'tier' }]]])(
    'refuses %j as a template, with the code not_an_operation',
    (rule) => {
      const error = refusal(given(), create({ rule, arguments: [] }));

      expect(error.code).toBe('validation_failed');
      expect(error.fieldCodes).toEqual({ rule: ['not_an_operation'] });
    },
  );

  it('gives the machine code of each rule problem beside its message', () => {
    const error = refusal(given(), create({ rule: { like: [{ var: '__proto__' }, 1] } }));

    expect(Object.keys(error.fieldErrors)).toEqual(Object.keys(error.fieldCodes));
    expect(error.fieldCodes).toEqual({
      'rule.like': ['unknown_operator'],
      'rule.like.0.var': ['unsafe_path'],
    });
  });
});
