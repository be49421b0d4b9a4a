/**
 * Stream ids. A stream is one aggregate instance: a group definition, or one
 * (group, profile) membership pair so that each pair's events stay in order on
 * their own Kafka key. The category prefix chooses the event store collection.
 */
export const STREAM_CATEGORIES = ['group-definition', 'group-member'] as const;
export type StreamCategory = (typeof STREAM_CATEGORIES)[number];

export function groupDefinitionStream(groupDefinitionId: number): string {
  return `group-definition-${groupDefinitionId}`;
}

export function membershipStream(groupDefinitionId: number, profileId: string): string {
  return `group-member-${groupDefinitionId}-${profileId}`;
}

export function streamCategory(stream: string): StreamCategory {
  const category = STREAM_CATEGORIES.find((c) => stream.startsWith(`${c}-`));
  if (!category) {
    throw new Error(`Unknown stream category in "${stream}"`);
  }

  return category;
}
