import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn, IsString, Matches } from 'class-validator';
import {
  CONNECTION_STATUSES,
  CONNECTION_TYPE_PATTERN,
  type ConnectionStatus,
} from '@profile-groups/contracts';

import { said } from '../../http/validation/messages';

export class UpsertConnectionRequest {
  @ApiProperty({
    pattern: CONNECTION_TYPE_PATTERN.source,
    description: 'The kind of connection; favourite definitions name it in source_type.',
    example: 'stylist-client',
  })
  @IsDefined({ message: said('The :field field is required.') })
  @IsString({ message: said('The :field field must be a string.') })
  @Matches(CONNECTION_TYPE_PATTERN, {
    message: said(
      'The :field field must be 1 to 64 lower-case letters, digits, _ or -, starting with a letter or digit.',
    ),
  })
  type!: string;

  @ApiProperty({ enum: CONNECTION_STATUSES, description: 'Only accepted connections count.' })
  @IsDefined({ message: said('The :field field is required.') })
  @IsIn(CONNECTION_STATUSES, {
    message: said(`The :field field must be one of ${CONNECTION_STATUSES.join(', ')}.`),
  })
  status!: ConnectionStatus;
}
