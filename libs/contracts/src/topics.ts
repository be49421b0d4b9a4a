/** Logical topics; the physical name is `${prefix}${suffix}` so tests can isolate themselves. */
export const TOPICS = {
  groupDefinitions: 'group-definitions',
  ruleDefinitions: 'rule-definitions',
  evaluations: 'group-evaluations',
  memberships: 'memberships',
  profiles: 'profiles',
  connections: 'connections',
  deadLetter: 'dead-letter',
} as const;

export type TopicKey = keyof typeof TOPICS;

export const DEFAULT_TOPIC_PREFIX = 'profile-groups.';

export function topicName(prefix: string, key: TopicKey): string {
  return `${prefix}${TOPICS[key]}`;
}
