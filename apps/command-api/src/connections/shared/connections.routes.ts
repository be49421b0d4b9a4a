import { applyDecorators } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { isProfileId } from '@profile-groups/contracts';

import { RequestValidationError } from '../../http/errors/api-errors';
import { PROFILES_PATH } from '../../profiles/shared/profiles.routes';

export const CONNECTIONS_PATH = `${PROFILES_PATH}/:profile/connections`;

export function ApiConnectionParams() {
  return applyDecorators(
    ApiParam({ name: 'profile', description: 'The profile the connection runs from.' }),
    ApiParam({ name: 'connected', description: 'The profile it runs to.' }),
  );
}

/** The two profile segments of a connection write; unusable ids and a self-connection are 422s. */
export function parseConnectionPair(profile: string, connected: string): [string, string] {
  const errors: Record<string, string[]> = {};
  const message = 'The profile id must be 1 to 128 characters without control characters.';
  if (!isProfileId(profile)) errors.profile = [message];
  if (!isProfileId(connected)) errors.connected = [message];
  if (Object.keys(errors).length === 0 && profile === connected) {
    errors.connected = ['A profile cannot be connected to itself.'];
  }
  if (Object.keys(errors).length > 0) throw new RequestValidationError(errors);

  return [profile, connected];
}
