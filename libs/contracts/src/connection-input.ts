import { isProfileId } from './profile-input';

/** A connection type as favourite definitions name it in `source_type`. */
export const CONNECTION_TYPE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * Why connection input cannot be taken, or null if it can: the checks REST makes on a
 * request, made again for a change arriving on Kafka (the event schema checks the
 * type and status already).
 */
export function connectionInputProblem(
  profileId: string,
  connectedProfileId: string,
): string | null {
  if (!isProfileId(profileId) || !isProfileId(connectedProfileId)) {
    return 'both profile ids must be 1 to 128 characters without control characters';
  }

  return profileId === connectedProfileId ? 'a profile cannot be connected to itself' : null;
}
