/**
 * Stream ids. A stream is one aggregate instance: a group definition (with its rules),
 * a rule definition, a group's evaluation runs, one (group, profile) membership pair so
 * that each pair's events stay in order on their own Kafka key, a profile, or the
 * connections from one profile. The
 * category prefix chooses the event store collection.
 */
export const STREAM_CATEGORIES = [
  'group-definition',
  'group-member',
  'group-evaluation',
  'rule-definition',
  'profile',
  'connection',
] as const;
export type StreamCategory = (typeof STREAM_CATEGORIES)[number];

export function groupDefinitionStream(groupDefinitionId: number): string {
  return `group-definition-${groupDefinitionId}`;
}

export function membershipStream(groupDefinitionId: number, profileId: string): string {
  return `group-member-${groupDefinitionId}-${profileId}`;
}

export function groupEvaluationStream(groupDefinitionId: number): string {
  return `group-evaluation-${groupDefinitionId}`;
}

export function ruleDefinitionStream(ruleDefinitionId: number): string {
  return `rule-definition-${ruleDefinitionId}`;
}

export function profileStream(profileId: string): string {
  return `profile-${profileId}`;
}

/** All connections from one profile, so that they reach the worker in order. */
export function connectionStream(profileId: string): string {
  return `connection-${profileId}`;
}

export function streamCategory(stream: string): StreamCategory {
  // Longest prefix first: "group-member-" must not be read as "group-".
  const category = [...STREAM_CATEGORIES]
    .sort((a, b) => b.length - a.length)
    .find((c) => stream.startsWith(`${c}-`));
  if (!category) {
    throw new Error(`Unknown stream category in "${stream}"`);
  }

  return category;
}
