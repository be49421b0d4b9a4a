import { ApiProperty } from '@nestjs/swagger';
import { CONNECTION_STATUSES } from '@profile-groups/contracts';

/* Response shapes of connections and profiles' own groups, for the OpenAPI document only. */

export class ConnectionSchema {
  @ApiProperty({ description: 'The profile the connection runs from.' }) profile_id!: string;
  @ApiProperty({ description: 'The profile it runs to.' }) connected_profile_id!: string;
  @ApiProperty({ type: String, nullable: true, example: 'stylist-client' }) type!: string | null;
  @ApiProperty({ enum: CONNECTION_STATUSES, nullable: true }) status!: string | null;
  @ApiProperty({ description: 'Version of the profile`s connection stream after the write.' })
  version!: number;
}

export const FAVOURITE_GROUP_SCHEMAS = [ConnectionSchema];
