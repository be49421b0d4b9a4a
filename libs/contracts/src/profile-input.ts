import { type JsonObject } from './events/group-definition.events';

export const MAX_PROFILE_ID_LENGTH = 128;
/** Deeper than any rule may read (rules are limited to 64 levels), and than REST accepts. */
export const MAX_PROFILE_DEPTH = 256;

const CONTROL_OR_LONE_SURROGATE =
  /[\u0000-\u001f\u007f-\u009f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A profile id any stream, document id and topic key can hold: 1 to 128 characters
 * (API.md) without control characters (C0, DEL and C1) or lone surrogates.
 */
export function isProfileId(value: string): boolean {
  return (
    value.length >= 1 &&
    value.length <= MAX_PROFILE_ID_LENGTH &&
    !CONTROL_OR_LONE_SURROGATE.test(value)
  );
}

/**
 * Why profile input cannot be taken, or null if it can. The same checks for a change
 * arriving on Kafka as the REST API makes on a request body, so that the two ways in
 * accept the same profiles.
 */
export function profileInputProblem(profileId: string, attributes?: JsonObject): string | null {
  if (!isProfileId(profileId)) {
    return 'the profile id must be 1 to 128 characters without control characters';
  }

  return attributes === undefined ? null : unsafePath(attributes, 1);
}

function unsafePath(value: unknown, depth: number): string | null {
  // JSON.parse reads 1e400 as Infinity, which would be stored as null.
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return 'the attributes hold a number too large to store';
  }
  if (typeof value !== 'object' || value === null) return null;
  if (depth > MAX_PROFILE_DEPTH) return `the attributes nest deeper than ${MAX_PROFILE_DEPTH}`;
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, child] of entries) {
    if (typeof key === 'string' && UNSAFE_KEYS.has(key)) {
      return `the attributes hold a key named ${key}`;
    }
    const problem = unsafePath(child, depth + 1);
    if (problem !== null) return problem;
  }

  return null;
}
