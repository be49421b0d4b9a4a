import { applyDecorators } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

import { PROFILES_PATH } from '../../profiles/shared/profiles.routes';

/** A profile's own groups: its favourite instances and what it is a member of. */
export const FAVOURITE_GROUPS_PATH = `${PROFILES_PATH}/:profile/groups`;
export const FAVOURITE_GROUPS_TAG = 'profile groups';

export function ApiOwnerParam() {
  return ApiParam({ name: 'profile', description: 'The profile that owns the groups.' });
}

export function ApiInstanceParams() {
  return applyDecorators(
    ApiOwnerParam(),
    ApiParam({
      name: 'group',
      description:
        'The instance id, or the id or handle of the favourite definition it was activated ' +
        'from (a profile has at most one instance of each). A group the profile does not ' +
        'own is a 404.',
      example: 'stylist-clients',
    }),
  );
}
