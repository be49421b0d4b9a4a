import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, ValidateBy } from 'class-validator';

import { parseGroupReference } from '../../group-definitions/shared/group-reference';
import { said } from '../../http/validation/messages';

/** An id (number or digits) or a handle: what `{group}` takes in a path. */
function isGroupReference(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 1;

  return typeof value === 'string' && parseGroupReference(value) !== null;
}

export class ActivateFavouriteGroupRequest {
  @ApiProperty({
    oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string' }],
    description: 'Id or handle of an active favourite definition.',
    example: 'stylist-clients',
  })
  @IsDefined({ message: said('The :field field is required.') })
  @ValidateBy({
    name: 'isGroupReference',
    validator: {
      validate: isGroupReference,
      defaultMessage: said('The :field field must be a group definition id or handle.'),
    },
  })
  group_definition_id!: number | string;
}
