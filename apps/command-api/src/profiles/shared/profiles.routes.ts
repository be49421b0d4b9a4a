import { ApiParam } from '@nestjs/swagger';

import { PathSegment } from '../../http/validation/path-segment.pipe';
import { isProfileId } from '@profile-groups/contracts';

export const PROFILES_PATH = 'v3/profiles';
export const PROFILES_TAG = 'profile input';

export function ApiProfileParam() {
  return ApiParam({
    name: 'profile',
    description: 'The profile id: 1 to 128 characters, no control characters; else 422.',
  });
}

/** `{profile}`, in every route that has one: an id no stream can hold is a 422. */
export const ProfileSegment = PathSegment(
  'profile',
  (segment) => (isProfileId(segment) ? segment : null),
  'The profile id must be 1 to 128 characters without control characters.',
);

/** `{member}`: a member's profile id, held to the same rule. */
export const MemberSegment = PathSegment(
  'member',
  (segment) => (isProfileId(segment) ? segment : null),
  'The member profile id must be 1 to 128 characters without control characters.',
);
