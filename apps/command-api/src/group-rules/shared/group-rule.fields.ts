import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { type JsonValue, RULE_TYPES, type RuleArgumentValue } from '@profile-groups/contracts';

import { FreeFormValue, UnlessAbsent } from '../../http/validation/field.decorators';
import { said } from '../../http/validation/messages';
import { MAX_ARGUMENTS } from '../../rule-definitions/shared/rule-definition.fields';

/** One argument value of a rule: `{"name": "days", "value": 30}`; any JSON value. */
export class RuleArgumentValueRequest {
  @ApiProperty({ maxLength: 64, example: 'days' })
  @IsDefined({ message: said('The :field field is required.') })
  @IsString({ message: said('The :field field must be a string.') })
  @Length(1, 64, { message: said('The :field field must be 1 to 64 characters.') })
  name!: string;

  @ApiProperty({ description: 'Any JSON value, null included.', example: 30 })
  @FreeFormValue()
  @ValidateBy({
    name: 'isGiven',
    validator: {
      validate: (value) => value !== undefined,
      defaultMessage: () => 'The value field is required (null is a value).',
    },
  })
  value!: JsonValue;
}

export function RuleTypeField(required: boolean) {
  return applyDecorators(
    ApiProperty({ required, enum: RULE_TYPES }),
    required ? IsDefined({ message: said('The :field field is required.') }) : UnlessAbsent(),
    IsIn(RULE_TYPES, {
      message: said(`The :field field must be one of ${RULE_TYPES.join(', ')}.`),
    }),
  );
}

export function RuleDefinitionIdField() {
  return applyDecorators(
    ApiProperty({
      required: false,
      nullable: true,
      type: 'integer',
      description: 'The rule definition (template) the rule is built from; or give `rule`.',
    }),
    IsOptional(),
    IsInt({ message: said('The :field field must be a whole number.') }),
    Min(1, { message: said('The :field field must be at least 1.') }),
  );
}

export function InlineRuleField() {
  return applyDecorators(
    ApiProperty({
      required: false,
      nullable: true,
      description: 'An inline JSONLogic rule (ours), instead of a rule definition.',
      example: { in: [{ var: 'tier' }, ['gold', 'platinum']] },
    }),
    FreeFormValue(),
  );
}

export function RuleArgumentsField() {
  return applyDecorators(
    ApiProperty({ required: false, type: [RuleArgumentValueRequest], default: [] }),
    UnlessAbsent(),
    IsArray({ message: said('The :field field must be an array of {name, value}.') }),
    ArrayMaxSize(MAX_ARGUMENTS, {
      message: said(`The :field field may hold at most ${MAX_ARGUMENTS} values.`),
    }),
    ValidateNested({ each: true }),
    Type(() => RuleArgumentValueRequest),
  );
}

export function SortOrderField() {
  return applyDecorators(
    ApiProperty({ required: false, type: 'integer', default: 0 }),
    UnlessAbsent(),
    IsInt({ message: said('The :field field must be a whole number.') }),
    Min(-1_000_000, { message: said('The :field field must be at least -1000000.') }),
    Max(1_000_000, { message: said('The :field field must not exceed 1000000.') }),
  );
}

export function toArgumentValues(
  requests: readonly RuleArgumentValueRequest[],
): RuleArgumentValue[] {
  return requests.map((request) => ({ name: request.name, value: request.value }));
}
