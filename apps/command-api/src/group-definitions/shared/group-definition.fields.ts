import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import {
  GROUP_TYPES,
  isProfileId,
  MAX_PROFILE_ID_LENGTH,
  PERIOD_TYPES,
} from '@profile-groups/contracts';

import { FreeFormObject, IsTimestamp, UnlessAbsent } from '../../http/validation/field.decorators';
import { said } from '../../http/validation/messages';
import { HANDLE_PATTERN, MAX_HANDLE_LENGTH } from './group-reference';

/**
 * The fields of a group definition request, shared by create and edit. `required`
 * fields must be given; `present` fields may be omitted but never null; the rest
 * are nullable, where null clears the value.
 */
export type Presence = 'required' | 'present';

function presence(presence: Presence) {
  return presence === 'required'
    ? IsDefined({ message: said('The :field field is required.') })
    : UnlessAbsent();
}

function text(max: number) {
  return [
    IsString({ message: said('The :field field must be a string.') }),
    Length(1, max, { message: said(`The :field field must be 1 to ${max} characters.`) }),
  ];
}

export function NameField(mode: Presence) {
  return applyDecorators(
    ApiProperty({ required: mode === 'required', maxLength: 255, example: 'VIP customers' }),
    presence(mode),
    ...text(255),
  );
}

export function HandleField() {
  return applyDecorators(
    ApiProperty({
      required: false,
      maxLength: MAX_HANDLE_LENGTH,
      pattern: HANDLE_PATTERN.source,
      description:
        'Unique; letters, digits, `.`, `_`, `-`, not all digits. Derived from the name when omitted.',
      example: 'vip-customers',
    }),
    UnlessAbsent(),
    ...text(MAX_HANDLE_LENGTH),
    Matches(HANDLE_PATTERN, {
      message: said('The :field field may hold letters, digits, . _ and -, and not only digits.'),
    }),
  );
}

export function TypeField(mode: Presence) {
  return applyDecorators(
    ApiProperty({
      required: mode === 'required',
      enum: GROUP_TYPES,
      description: 'Cannot change after creation.',
    }),
    presence(mode),
    IsIn(GROUP_TYPES, {
      message: said(`The :field field must be one of ${GROUP_TYPES.join(', ')}.`),
    }),
  );
}

export function NullableText(max: number) {
  return applyDecorators(
    ApiProperty({ required: false, nullable: true, type: String, maxLength: max }),
    IsOptional(),
    ...text(max),
  );
}

export const PROFILE_ID_RULE = `The :field field must be 1 to ${MAX_PROFILE_ID_LENGTH} characters without control characters.`;

/**
 * A profile id, held to what every stream, document id and path accepts
 * (`isProfileId`): an id taken here can always be named again to remove it.
 */
export function ProfileIdValue() {
  return applyDecorators(
    IsString({ message: said('The :field field must be a string.') }),
    ValidateBy({
      name: 'isProfileId',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isProfileId(value),
        defaultMessage: said(PROFILE_ID_RULE),
      },
    }),
  );
}

export function NullableProfileId() {
  return applyDecorators(
    ApiProperty({
      required: false,
      nullable: true,
      type: String,
      maxLength: MAX_PROFILE_ID_LENGTH,
    }),
    IsOptional(),
    ProfileIdValue(),
  );
}

export function NullableObject(description: string) {
  return applyDecorators(
    ApiProperty({
      required: false,
      nullable: true,
      type: Object,
      additionalProperties: true,
      description,
    }),
    IsOptional(),
    FreeFormObject(),
  );
}

export function QueryTypeField() {
  return applyDecorators(
    ApiProperty({
      required: false,
      nullable: true,
      enum: ['jsonlogic'],
      description: 'Defaults to jsonlogic when a query is given.',
    }),
    IsOptional(),
    IsIn(['jsonlogic'], { message: said('The :field field must be jsonlogic.') }),
  );
}

export function NullablePeriod() {
  return applyDecorators(
    ApiProperty({ required: false, nullable: true, type: 'integer', minimum: 1 }),
    IsOptional(),
    IsInt({ message: said('The :field field must be a whole number.') }),
    Min(1, { message: said('The :field field must be at least 1.') }),
    Max(1_000_000, { message: said('The :field field must not exceed 1000000.') }),
  );
}

export function NullablePeriodType() {
  return applyDecorators(
    ApiProperty({ required: false, nullable: true, enum: PERIOD_TYPES }),
    IsOptional(),
    IsIn(PERIOD_TYPES, {
      message: said(`The :field field must be one of ${PERIOD_TYPES.join(', ')}.`),
    }),
  );
}

export function NullableTimestamp() {
  return applyDecorators(
    ApiProperty({
      required: false,
      nullable: true,
      type: String,
      format: 'date-time',
      description: 'ISO 8601, or YYYY-MM-DD HH:MM:SS in UTC.',
    }),
    IsOptional(),
    IsTimestamp(),
  );
}

export function FlagField(defaultValue: boolean | undefined) {
  return applyDecorators(
    ApiProperty({ required: false, type: Boolean, default: defaultValue }),
    UnlessAbsent(),
    IsBoolean({ message: said('The :field field must be true or false.') }),
  );
}
