import { type NewEvent } from '../envelope';
import { type JsonObject, type JsonValue } from './group-definition.events';

export const ARGUMENT_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'array',
  'object',
  'any',
] as const;
export type ArgumentType = (typeof ARGUMENT_TYPES)[number];

/** A parameter a rule template declares; the template refers to it as {"arg": name}. */
export interface ArgumentDeclaration {
  name: string;
  type: ArgumentType;
  required: boolean;
  default?: JsonValue;
  description?: string;
}

/** The fields an operator sets on a rule definition (API.md, GroupRuleDefinition). */
export interface RuleDefinitionAttributes {
  handle: string;
  name: string;
  description: string | null;
  evaluator: 'jsonlogic';
  rule: JsonValue;
  arguments: ArgumentDeclaration[];
  meta: JsonObject | null;
}

export type RuleDefinitionCreated = NewEvent<
  'RuleDefinitionCreated',
  { rule_definition_id: number; definition: RuleDefinitionAttributes; created_at: string }
>;

/** Carries only what changed; every group rule built from the template is re-resolved. */
export type RuleDefinitionUpdated = NewEvent<
  'RuleDefinitionUpdated',
  {
    rule_definition_id: number;
    changes: Partial<RuleDefinitionAttributes>;
    updated_at: string;
  }
>;

export type RuleDefinitionDeleted = NewEvent<
  'RuleDefinitionDeleted',
  { rule_definition_id: number; handle: string; deleted_at: string }
>;

export type RuleDefinitionEvent =
  | RuleDefinitionCreated
  | RuleDefinitionUpdated
  | RuleDefinitionDeleted;
