import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  GROUP_TYPES,
  PERIOD_TYPES,
  REFRESH_STATUSES,
  REMOVAL_REASONS,
} from '@profile-groups/contracts';

import { DYNAMIC_GROUP_SCHEMAS, GroupRuleSchema } from './dynamic-group.schemas';
import { FAVOURITE_GROUP_SCHEMAS } from './favourite-group.schemas';

export * from './dynamic-group.schemas';
export * from './favourite-group.schemas';

/* Response shapes, for the OpenAPI document only. */

const nullableString = { type: String, nullable: true } as const;
const nullableTime = { type: String, format: 'date-time', nullable: true } as const;
const nullableObject = { type: Object, nullable: true, additionalProperties: true } as const;

export class GroupDefinitionSchema {
  @ApiProperty({ example: 42 }) id!: number;
  @ApiProperty() name!: string;
  @ApiProperty() handle!: string;
  @ApiProperty({ enum: GROUP_TYPES }) type!: string;
  @ApiProperty(nullableString) source_type!: string | null;
  @ApiProperty(nullableString) source_id!: string | null;
  @ApiProperty(nullableObject) query!: unknown;
  @ApiProperty({ enum: ['jsonlogic'], nullable: true }) query_type!: string | null;
  @ApiProperty(nullableObject) arguments!: unknown;
  @ApiProperty({ type: 'integer', nullable: true }) period!: number | null;
  @ApiProperty({ enum: PERIOD_TYPES, nullable: true }) period_type!: string | null;
  @ApiProperty(nullableTime) absolute_expiry!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) refresh_period!: number | null;
  @ApiProperty({ enum: PERIOD_TYPES, nullable: true }) refresh_period_type!: string | null;
  @ApiProperty(nullableTime) refresh_absolute_expiry!: string | null;
  @ApiProperty(nullableTime) last_refreshed_at!: string | null;
  @ApiProperty(nullableTime) next_refresh_at!: string | null;
  @ApiProperty({ enum: REFRESH_STATUSES }) refresh_status!: string;
  @ApiProperty(nullableString) refresh_error!: string | null;
  @ApiProperty(nullableString) short_description!: string | null;
  @ApiProperty(nullableString) description!: string | null;
  @ApiProperty(nullableString) owner_profile_id!: string | null;
  @ApiProperty(nullableObject) meta!: unknown;
  @ApiProperty() is_published!: boolean;
  @ApiProperty() is_active!: boolean;
  @ApiProperty() is_archived!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ description: 'From the read model; may lag just after a write.' })
  current_member_count!: number;
  @ApiProperty({ type: [GroupRuleSchema], description: 'Current rules, in evaluation order.' })
  rules!: GroupRuleSchema[];
  @ApiProperty({ description: 'Stream version; send it as If-Match to make a write conditional.' })
  version!: number;
}

export class GroupProfileSchema {
  @ApiProperty({ format: 'uuid', description: 'The membership id.' }) id!: string;
  @ApiProperty() group_definition_id!: number;
  @ApiProperty() profile_id!: string;
  @ApiProperty({ format: 'date-time' }) added_at!: string;
  @ApiProperty(nullableTime) expires_at!: string | null;
  @ApiProperty(nullableTime) removed_at!: string | null;
  @ApiProperty(nullableString) removed_reason!: string | null;
  @ApiProperty({ enum: REMOVAL_REASONS, nullable: true, description: 'Why it ended.' })
  removal_type!: string | null;
  @ApiProperty(nullableString) added_by_profile_id!: string | null;
  @ApiProperty(nullableString) removed_by_profile_id!: string | null;
  @ApiProperty(nullableString) source_type!: string | null;
  @ApiProperty(nullableString) source_id!: string | null;
  @ApiProperty(nullableObject) meta!: unknown;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export class PageLinksSchema {
  @ApiProperty() first!: string;
  @ApiProperty() last!: string;
  @ApiProperty(nullableString) prev!: string | null;
  @ApiProperty(nullableString) next!: string | null;
}

export class PageMetaSchema {
  @ApiProperty() current_page!: number;
  @ApiProperty({ type: 'integer', nullable: true }) from!: number | null;
  @ApiProperty() last_page!: number;
  @ApiProperty() path!: string;
  @ApiProperty() per_page!: number;
  @ApiProperty({ type: 'integer', nullable: true }) to!: number | null;
  @ApiProperty() total!: number;
}

export class ErrorSchema {
  @ApiProperty() message!: string;
  @ApiProperty({ description: 'Stable machine code.', example: 'not_found' }) code!: string;
}

export class ValidationErrorSchema extends ErrorSchema {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { 'profile_ids.3': ['Each profile id must be a string of 1 to 128 characters.'] },
  })
  errors!: Record<string, string[]>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description:
      'Machine codes of rule problems at some of those paths: unknown_operator, arity, ' +
      'invalid_argument, unsafe_path, object_literal, not_json, too_deep, too_large, ' +
      'not_an_operation, argument_type, missing_argument, unknown_argument, ...',
    example: { 'rule.and.1.var': ['unsafe_path'] },
  })
  error_codes?: Record<string, string[]>;
}

export class ForbiddenErrorSchema extends ErrorSchema {
  @ApiProperty({ example: 'update-group-definitions' }) required_scope!: string;
}

export class ConflictErrorSchema extends ErrorSchema {
  @ApiPropertyOptional({ type: 'integer', nullable: true }) current_version!: number | null;
}

export class HealthCheckSchema {
  @ApiProperty({ enum: ['up', 'down'] }) status!: string;
  @ApiPropertyOptional() error?: string;
}

export class HealthSchema {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/HealthCheckSchema' },
  })
  checks!: Record<string, HealthCheckSchema>;
}

export class HistoryEventSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'MemberRemoved' }) type!: string;
  @ApiProperty({ example: 'group-member-42-profile-7f3a' }) stream!: string;
  @ApiProperty({ type: 'integer', example: 2 }) stream_version!: number;
  @ApiProperty({ format: 'date-time' }) time!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Who: the API token subject, or `system:<decision>` for the worker.',
  })
  actor!: string | null;
  @ApiProperty({ description: 'Ties together everything one request led to.' })
  correlation_id!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why: the id of the event this one followed from, if any.',
  })
  causation_id!: string | null;
  @ApiProperty({
    type: Object,
    additionalProperties: true,
    description: 'The event data as published (docs/events), with the reason where there is one.',
  })
  data!: unknown;
}

export class SnapshotChangeSchema {
  @ApiProperty() profile_id!: string;
  @ApiProperty({ enum: ['added', 'removed'] }) change!: string;
}

export const DOCUMENTED_SCHEMAS = [
  HistoryEventSchema,
  SnapshotChangeSchema,
  GroupDefinitionSchema,
  GroupProfileSchema,
  PageLinksSchema,
  PageMetaSchema,
  ErrorSchema,
  ValidationErrorSchema,
  ForbiddenErrorSchema,
  ConflictErrorSchema,
  HealthCheckSchema,
  HealthSchema,
  ...DYNAMIC_GROUP_SCHEMAS,
  ...FAVOURITE_GROUP_SCHEMAS,
];
