import { ApiParam } from '@nestjs/swagger';

import { RequestValidationError } from '../../http/errors/api-errors';
import { isProfileId } from '@profile-groups/contracts';

export const PROFILES_PATH = 'v3/profiles';
export const PROFILES_TAG = 'profile input';

export function ApiProfileParam() {
  return ApiParam({ name: 'profile', description: 'The profile id (1 to 128 characters).' });
}

/** The `{profile}` segment of a write; an id no stream can hold is a 422. */
export function parseProfileId(segment: string): string {
  if (isProfileId(segment)) return segment;

  throw new RequestValidationError({
    profile: ['The profile id must be 1 to 128 characters without control characters.'],
  });
}
