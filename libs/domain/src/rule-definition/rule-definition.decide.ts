import { type RuleDefinitionAttributes, type RuleDefinitionEvent } from '@profile-groups/contracts';
import {
  argumentsUsed,
  validateArgumentDeclarations,
  validateDefaults,
} from '@profile-groups/rules';

import { deepEqual } from '../shared/deep-equal';
import { DomainError } from '../shared/domain-error';
import {
  type FieldIssues,
  hasIssues,
  mergeIssues,
  ruleFieldIssues,
  validateStoredRule,
} from '../shared/rule-issues';
import { type RuleDefinitionState } from './rule-definition.state';

export interface CreateRuleDefinition {
  readonly kind: 'CreateRuleDefinition';
  readonly id: number;
  readonly attributes: RuleDefinitionAttributes;
  readonly now: Date;
}

export interface UpdateRuleDefinition {
  readonly kind: 'UpdateRuleDefinition';
  readonly changes: Partial<RuleDefinitionAttributes>;
  readonly now: Date;
}

export interface DeleteRuleDefinition {
  readonly kind: 'DeleteRuleDefinition';
  /** Group rules still built from this definition, as `group:rule` ids. */
  readonly usedBy: readonly string[];
  readonly now: Date;
}

export type RuleDefinitionCommand =
  | CreateRuleDefinition
  | UpdateRuleDefinition
  | DeleteRuleDefinition;

const IMMUTABLE: ReadonlyArray<keyof RuleDefinitionAttributes> = ['evaluator'];

export function decideRuleDefinition(
  state: RuleDefinitionState | null,
  command: RuleDefinitionCommand,
): RuleDefinitionEvent[] {
  switch (command.kind) {
    case 'CreateRuleDefinition': {
      if (state !== null) {
        throw DomainError.validation({ id: [`Rule definition ${command.id} already exists.`] });
      }
      throwIfInvalid(command.attributes);

      return [
        {
          type: 'RuleDefinitionCreated',
          data: {
            rule_definition_id: command.id,
            definition: command.attributes,
            created_at: command.now.toISOString(),
          },
        },
      ];
    }
    case 'UpdateRuleDefinition': {
      const live = requireLiveRuleDefinition(state);
      const changes: Partial<Record<keyof RuleDefinitionAttributes, unknown>> = {};
      for (const [key, value] of Object.entries(command.changes) as [
        keyof RuleDefinitionAttributes,
        unknown,
      ][]) {
        if (value === undefined || deepEqual(live.attributes[key], value)) continue;
        if (IMMUTABLE.includes(key)) {
          throw new DomainError(
            'immutable_field',
            `The ${key} of a rule definition cannot change.`,
            {
              [key]: [`The ${key} of a rule definition cannot change.`],
            },
          );
        }
        changes[key] = value;
      }
      if (Object.keys(changes).length === 0) return [];
      throwIfInvalid({ ...live.attributes, ...(changes as Partial<RuleDefinitionAttributes>) });

      return [
        {
          type: 'RuleDefinitionUpdated',
          data: {
            rule_definition_id: live.id,
            changes: changes as Partial<RuleDefinitionAttributes>,
            updated_at: command.now.toISOString(),
          },
        },
      ];
    }
    case 'DeleteRuleDefinition': {
      const live = requireLiveRuleDefinition(state);
      if (command.usedBy.length > 0) {
        throw new DomainError(
          'rule_definition_in_use',
          `Rule definition ${live.id} is used by group rules ${command.usedBy.join(', ')}.`,
        );
      }

      return [
        {
          type: 'RuleDefinitionDeleted',
          data: {
            rule_definition_id: live.id,
            handle: live.attributes.handle,
            deleted_at: command.now.toISOString(),
          },
        },
      ];
    }
    default: {
      const unreachable: never = command;
      throw new Error(`Unknown command ${(unreachable as { kind: string }).kind}`);
    }
  }
}

export function requireLiveRuleDefinition(state: RuleDefinitionState | null): RuleDefinitionState {
  if (state === null || state.deleted) {
    throw new DomainError('not_found', 'Rule definition not found.');
  }

  return state;
}

/**
 * A template must be a valid rule apart from its placeholders, each one declared, and
 * each default must resolve: of its type, and giving a valid rule once put in.
 */
export function validateRuleDefinition(attributes: RuleDefinitionAttributes): FieldIssues {
  const issues = mergeIssues(
    ruleFieldIssues('arguments', validateArgumentDeclarations(attributes.arguments)),
    validateStoredRule('rule', attributes.rule, { allowArgs: true }),
  );
  const declared = new Set(attributes.arguments.map((declaration) => declaration.name));
  const undeclared = argumentsUsed(attributes.rule).filter((name) => !declared.has(name));
  if (undeclared.length > 0) {
    return mergeIssues(issues, {
      errors: { rule: [`The rule uses undeclared arguments: ${undeclared.join(', ')}.`] },
      codes: { rule: ['undeclared_argument'] },
    });
  }
  if (hasIssues(issues)) return issues;

  return ruleFieldIssues('arguments', validateDefaults(attributes.rule, attributes.arguments));
}

function throwIfInvalid(attributes: RuleDefinitionAttributes): void {
  const issues = validateRuleDefinition(attributes);
  if (hasIssues(issues)) throw DomainError.validation(issues.errors, issues.codes);
}
