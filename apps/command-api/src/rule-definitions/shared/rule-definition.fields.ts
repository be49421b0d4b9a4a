import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsString,
  Length,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import {
  ARGUMENT_TYPES,
  type ArgumentDeclaration,
  type ArgumentType,
  type JsonValue,
} from '@profile-groups/contracts';

import { FreeFormValue, UnlessAbsent } from '../../http/validation/field.decorators';
import { said } from '../../http/validation/messages';

export const MAX_ARGUMENTS = 50;

/** A parameter a template declares; the template refers to it as {"arg": name}. */
export class ArgumentDeclarationRequest {
  @ApiProperty({ maxLength: 64, example: 'days' })
  @IsDefined({ message: said('The :field field is required.') })
  @IsString({ message: said('The :field field must be a string.') })
  @Length(1, 64, { message: said('The :field field must be 1 to 64 characters.') })
  name!: string;

  @ApiProperty({ enum: ARGUMENT_TYPES })
  @IsDefined({ message: said('The :field field is required.') })
  @IsIn(ARGUMENT_TYPES, {
    message: said(`The :field field must be one of ${ARGUMENT_TYPES.join(', ')}.`),
  })
  type!: ArgumentType;

  @ApiProperty({ required: false, default: false })
  @UnlessAbsent()
  @IsBoolean({ message: said('The :field field must be true or false.') })
  required?: boolean;

  @ApiProperty({ required: false, description: 'Any JSON value, of the declared type.' })
  @FreeFormValue()
  default?: JsonValue;

  @ApiProperty({ required: false, maxLength: 1000 })
  @UnlessAbsent()
  @IsString({ message: said('The :field field must be a string.') })
  @Length(0, 1000, { message: said('The :field field must be at most 1000 characters.') })
  description?: string;
}

/** The rule of a template: JSONLogic with {"arg": name} placeholders, kept exactly as sent. */
export function TemplateRuleField(required: boolean) {
  return applyDecorators(
    ApiProperty({
      required,
      description: 'JSONLogic; `{"arg": "name"}` stands for a declared argument.',
      example: { '<=': [{ days_since: { var: 'joined_at' } }, { arg: 'days' }] },
    }),
    required ? IsDefined({ message: said('The :field field is required.') }) : UnlessAbsent(),
    ValidateBy({
      name: 'notNullRule',
      validator: {
        validate: (value) => value !== null,
        defaultMessage: () => 'The rule field must be a JSONLogic rule, not null.',
      },
    }),
    FreeFormValue(),
  );
}

export function ArgumentDeclarationsField() {
  return applyDecorators(
    ApiProperty({ required: false, type: [ArgumentDeclarationRequest], default: [] }),
    UnlessAbsent(),
    IsArray({ message: said('The :field field must be an array of argument declarations.') }),
    ArrayMaxSize(MAX_ARGUMENTS, {
      message: said(`The :field field may hold at most ${MAX_ARGUMENTS} arguments.`),
    }),
    ValidateNested({ each: true }),
    Type(() => ArgumentDeclarationRequest),
  );
}

export function EvaluatorField() {
  return applyDecorators(
    ApiProperty({ required: false, enum: ['jsonlogic'], default: 'jsonlogic' }),
    UnlessAbsent(),
    IsIn(['jsonlogic'], { message: said('The :field field must be jsonlogic.') }),
  );
}

/** Plain declarations for the event, with only the optional fields that were given. */
export function toDeclarations(
  requests: readonly ArgumentDeclarationRequest[],
): ArgumentDeclaration[] {
  return requests.map((request) => ({
    name: request.name,
    type: request.type,
    required: request.required ?? false,
    ...(request.default === undefined ? {} : { default: request.default }),
    ...(request.description === undefined ? {} : { description: request.description }),
  }));
}
