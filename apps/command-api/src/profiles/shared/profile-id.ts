import { MAX_PROFILE_ID_LENGTH } from '../../group-members/add-group-members/add-group-members.request.dto';

const CONTROL_OR_LONE_SURROGATE =
  /[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A profile id from a path: any non-empty text up to 128 characters (API.md) without
 * control characters or lone surrogates, which no stream id may hold.
 */
export function isProfileId(value: string): boolean {
  return (
    value.length >= 1 &&
    value.length <= MAX_PROFILE_ID_LENGTH &&
    !CONTROL_OR_LONE_SURROGATE.test(value)
  );
}
