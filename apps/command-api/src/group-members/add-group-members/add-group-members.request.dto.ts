import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { isProfileId, type JsonObject, MAX_PROFILE_ID_LENGTH } from '@profile-groups/contracts';

import {
  NullableObject,
  NullableProfileId,
  NullableText,
  ProfileIdValue,
} from '../../group-definitions/shared/group-definition.fields';
import { EachItem } from '../../http/validation/field.decorators';
import { said } from '../../http/validation/messages';

export const MAX_PROFILE_IDS = 10_000;

export function profileIdProblem(value: unknown): string | null {
  return typeof value === 'string' && isProfileId(value)
    ? null
    : `Each profile id must be a string of 1 to ${MAX_PROFILE_ID_LENGTH} characters without control characters.`;
}

/** `profile_id` for one profile or `profile_ids` for many; exactly one of them. */
export class AddGroupMembersRequest {
  @ApiProperty({ required: false, maxLength: MAX_PROFILE_ID_LENGTH, description: 'One profile.' })
  @ValidateIf((request: AddGroupMembersRequest) => request.profile_ids === undefined)
  @IsDefined({ message: 'The profile_id or profile_ids field is required.' })
  @ProfileIdValue()
  profile_id?: string;

  @ApiProperty({
    required: false,
    type: [String],
    maxItems: MAX_PROFILE_IDS,
    description: `Up to ${MAX_PROFILE_IDS} profiles; duplicates count once.`,
  })
  @ValidateIf((request: AddGroupMembersRequest) => request.profile_ids !== undefined)
  @ValidateBy({
    name: 'notWithProfileId',
    validator: {
      validate: (_value, args) => (args?.object as AddGroupMembersRequest).profile_id === undefined,
      defaultMessage: () => 'Give either profile_id or profile_ids, not both.',
    },
  })
  @IsArray({ message: said('The :field field must be an array of profile ids.') })
  @ArrayMinSize(1, { message: said('The :field field must hold at least one profile id.') })
  @ArrayMaxSize(MAX_PROFILE_IDS, {
    message: said(`The :field field may hold at most ${MAX_PROFILE_IDS} profile ids.`),
  })
  @EachItem('isProfileIdList', profileIdProblem)
  profile_ids?: string[];

  @NullableProfileId() added_by_profile_id?: string | null;
  @NullableText(255) source_type?: string | null;
  @NullableText(255) source_id?: string | null;
  @NullableObject('Free-form data kept with each new membership.') meta?: JsonObject | null;
}
