import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsInt, Max, Min, ValidateNested } from 'class-validator';
import { type JsonObject } from '@profile-groups/contracts';

import { NullableObject } from '../../group-definitions/shared/group-definition.fields';
import { AddGroupRuleRequest } from '../../group-rules/add-group-rule/add-group-rule.request.dto';
import { UnlessAbsent } from '../../http/validation/field.decorators';
import { said } from '../../http/validation/messages';

export const MAX_PREVIEW_RULES = 50;
export const DEFAULT_SAMPLE_SIZE = 10;
export const MAX_SAMPLE_SIZE = 100;

/** A dynamic group that is not stored: its query, default arguments and rules. */
export class PreviewGroupRequest {
  @NullableObject('JSONLogic rule every member must also satisfy.') query?: JsonObject | null;
  @NullableObject('Default argument values for all the rules.') arguments?: JsonObject | null;

  @ApiProperty({ type: [AddGroupRuleRequest], description: 'As for a group rule.' })
  @IsDefined({ message: said('The :field field is required.') })
  @IsArray({ message: said('The :field field must be an array of rules.') })
  @ArrayMaxSize(MAX_PREVIEW_RULES, {
    message: said(`The :field field may hold at most ${MAX_PREVIEW_RULES} rules.`),
  })
  @ValidateNested({ each: true })
  @Type(() => AddGroupRuleRequest)
  rules!: AddGroupRuleRequest[];

  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 1,
    maximum: MAX_SAMPLE_SIZE,
    default: DEFAULT_SAMPLE_SIZE,
  })
  @UnlessAbsent()
  @IsInt({ message: said('The :field field must be a whole number.') })
  @Min(1, { message: said('The :field field must be at least 1.') })
  @Max(MAX_SAMPLE_SIZE, { message: said(`The :field field must not exceed ${MAX_SAMPLE_SIZE}.`) })
  sample_size?: number;
}
