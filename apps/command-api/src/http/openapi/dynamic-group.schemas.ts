import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ARGUMENT_TYPES, EVALUATION_TRIGGERS, RULE_TYPES } from '@profile-groups/contracts';
import { SNAPSHOT_STATUSES } from '@profile-groups/read-models';

/* Response shapes of rules, evaluation runs and profile input, for the OpenAPI document only. */

const nullableString = { type: String, nullable: true } as const;
const nullableTime = { type: String, format: 'date-time', nullable: true } as const;
const nullableObject = { type: Object, nullable: true, additionalProperties: true } as const;
const anyJson = { description: 'Any JSON value.', nullable: true } as const;

export class ArgumentDeclarationSchema {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ARGUMENT_TYPES }) type!: string;
  @ApiProperty() required!: boolean;
  @ApiPropertyOptional(anyJson) default?: unknown;
  @ApiPropertyOptional() description?: string;
}

export class RuleDefinitionSchema {
  @ApiProperty({ example: 3 }) id!: number;
  @ApiProperty() handle!: string;
  @ApiProperty() name!: string;
  @ApiProperty(nullableString) description!: string | null;
  @ApiProperty({ enum: ['jsonlogic'] }) evaluator!: string;
  @ApiProperty({ ...anyJson, description: 'JSONLogic with {"arg": name} placeholders.' })
  rule!: unknown;
  @ApiProperty({ type: [ArgumentDeclarationSchema] }) arguments!: ArgumentDeclarationSchema[];
  @ApiProperty(nullableObject) meta!: unknown;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ description: 'Stream version; send it as If-Match to make a write conditional.' })
  version!: number;
}

export class ArgumentValueSchema {
  @ApiProperty() name!: string;
  @ApiProperty(anyJson) value!: unknown;
}

export class EffectiveRuleSchema {
  @ApiProperty(nullableString) handle!: string | null;
  @ApiProperty({ enum: ['jsonlogic'] }) evaluator!: string;
  @ApiProperty({ ...anyJson, description: 'The rule the evaluator runs: arguments replaced.' })
  rule!: unknown;
  @ApiProperty(nullableString) name!: string | null;
  @ApiProperty({ type: Object, additionalProperties: true }) arguments!: unknown;
  @ApiProperty({ type: 'integer', nullable: true }) rule_definition_version!: number | null;
}

export class GroupRuleSchema {
  @ApiProperty({ example: 12 }) id!: number;
  @ApiProperty() group_definition_id!: number;
  @ApiProperty({ type: 'integer', nullable: true }) group_rule_definition_id!: number | null;
  @ApiProperty({ enum: RULE_TYPES }) type!: string;
  @ApiProperty(nullableString) name!: string | null;
  @ApiProperty({ ...anyJson, description: 'Inline JSONLogic (ours); null with a template.' })
  rule!: unknown;
  @ApiProperty({ type: [ArgumentValueSchema] }) arguments!: ArgumentValueSchema[];
  @ApiProperty() sort_order!: number;
  @ApiProperty() is_active!: boolean;
  @ApiProperty(nullableObject) meta!: unknown;
  @ApiProperty({ type: EffectiveRuleSchema }) effective!: EffectiveRuleSchema;
  @ApiProperty() rule_version!: number;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export class GroupRuleWriteSchema extends GroupRuleSchema {
  @ApiProperty({ description: "The group's stream version after the write (for If-Match)." })
  version!: number;
}

export class SnapshotCountsSchema {
  @ApiProperty() evaluated!: number;
  @ApiProperty() included!: number;
  @ApiProperty() added!: number;
  @ApiProperty() removed!: number;
}

export class SnapshotSchema {
  @ApiProperty() id!: string;
  @ApiProperty() group_definition_id!: number;
  @ApiProperty({ enum: EVALUATION_TRIGGERS }) trigger!: string;
  @ApiProperty({ enum: SNAPSHOT_STATUSES }) status!: string;
  @ApiProperty(nullableTime) started_at!: string | null;
  @ApiProperty(nullableTime) finished_at!: string | null;
  @ApiProperty(nullableString) error!: string | null;
  @ApiProperty({ type: SnapshotCountsSchema, nullable: true }) counts!: unknown;
  @ApiProperty({ type: [Object], nullable: true, description: 'Rule versions the run used.' })
  rule_versions!: unknown[] | null;
  @ApiProperty({ type: 'integer', nullable: true }) definition_version!: number | null;
  @ApiProperty(nullableString) profile_versions_digest!: string | null;
}

export class SnapshotProfileSchema {
  @ApiProperty() profile_id!: string;
  @ApiProperty() profile_version!: number;
  @ApiProperty() included!: boolean;
  @ApiProperty({ type: [Number] }) matched_rule_ids!: number[];
  @ApiProperty({ description: 'Whether the run moved the profile in or out.' }) changed!: boolean;
}

export class ExplanationSchema {
  @ApiProperty() profile_id!: string;
  @ApiProperty() group_definition_id!: number;
  @ApiProperty() included!: boolean;
  @ApiProperty({ example: 'no_inclusion_rule_matched' }) reason!: string;
  @ApiProperty({ format: 'date-time' }) evaluated_at!: string;
  @ApiProperty() profile_version!: number;
  @ApiProperty({
    ...nullableObject,
    description: '{matched, trace} of the query, if any; with error and error_code if it failed.',
  })
  query!: unknown;
  @ApiProperty({
    type: [Object],
    description:
      'Per rule: id, type, is_active, matched, effective and the evaluated trace. A rule that ' +
      'could not be evaluated did not match, and has error and error_code (e.g. ' +
      'budget_exceeded: past the evaluation budget). Past about 10,000 nodes a trace stops ' +
      'going deeper: nodes evaluated untraced have truncated: true.',
  })
  rules!: unknown[];
  @ApiProperty({
    type: Object,
    description:
      'The latest completed snapshot: id, finished_at, the profile’s result there (null if ' +
      'not evaluated in it), whether the live decision agrees, and is_member (read model).',
  })
  snapshot!: unknown;
}

export class PreviewSchema {
  @ApiProperty({ description: 'Profiles that would be members.' }) count!: number;
  @ApiProperty({ description: 'Profiles evaluated.' }) evaluated!: number;
  @ApiProperty({ type: [String] }) sample!: string[];
  @ApiProperty({ format: 'date-time' }) evaluated_at!: string;
}

export class ProfileSchema {
  @ApiProperty() profile_id!: string;
  @ApiProperty({ ...nullableObject, description: 'Null after a deletion.' }) attributes!: unknown;
  @ApiProperty({ description: 'Version of the profile stream after the write.' })
  version!: number;
}

export const DYNAMIC_GROUP_SCHEMAS = [
  ArgumentDeclarationSchema,
  RuleDefinitionSchema,
  ArgumentValueSchema,
  EffectiveRuleSchema,
  GroupRuleSchema,
  GroupRuleWriteSchema,
  SnapshotCountsSchema,
  SnapshotSchema,
  SnapshotProfileSchema,
  ExplanationSchema,
  PreviewSchema,
  ProfileSchema,
];
