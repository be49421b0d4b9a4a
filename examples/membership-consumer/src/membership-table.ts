/**
 * The consumer's own membership table: one row per (group, profile) pair, the state
 * after the last event applied to it. Pure functions; the caller stores the table.
 */

/** `data` of MemberAdded v1 (docs/events/MemberAdded.v1.schema.json). */
export interface MemberAddedData {
  group_definition_id: number;
  profile_id: string;
  membership_id: string;
  added_at: string;
  expires_at: string | null;
  added_by_profile_id: string | null;
  source_type: string | null;
  source_id: string | null;
  meta: Record<string, unknown> | null;
}

/** `data` of MemberRemoved v1 (docs/events/MemberRemoved.v1.schema.json). */
export interface MemberRemovedData {
  group_definition_id: number;
  profile_id: string;
  membership_id: string;
  removed_at: string;
  /** manual, expired, rule, connection, group_deleted or profile_deleted. */
  reason: string;
  removed_reason: string | null;
  removed_by_profile_id: string | null;
}

export type MembershipEvent =
  | { id: string; type: 'MemberAdded'; streamVersion: number; data: MemberAddedData }
  | { id: string; type: 'MemberRemoved'; streamVersion: number; data: MemberRemovedData };

export interface MembershipRow {
  group_definition_id: number;
  profile_id: string;
  is_member: boolean;
  /** The current membership, or the one that ended last. */
  membership_id: string;
  added_at: string | null;
  expires_at: string | null;
  removed_at: string | null;
  reason: string | null;
  removed_reason: string | null;
  source_type: string | null;
  /** The pair's stream version applied last: the idempotency key. */
  stream_version: number;
  last_event_id: string;
}

export interface MembershipTable {
  /** Keyed by `<group_definition_id>:<profile_id>` (a group id never holds a colon). */
  rows: Record<string, MembershipRow>;
}

/**
 * What applying an event did:
 * - `applied`: the next version of its pair.
 * - `duplicate`: a version already applied (a redelivery: same id), dropped.
 * - `conflict`: an applied version arriving with another event id, dropped; the contract
 *   says this cannot happen.
 * - `gap`: versions were skipped (the consumer started after the topic's retention
 *   dropped them); applied, since each event carries the pair's whole state.
 * - `out_of_turn`: an add to a current member or a removal of another membership;
 *   applied as the newer truth, but the contract says adds and removals alternate.
 */
export type ApplyOutcome = 'applied' | 'duplicate' | 'conflict' | 'gap' | 'out_of_turn';

export function emptyTable(): MembershipTable {
  return { rows: {} };
}

export function pairKey(groupDefinitionId: number, profileId: string): string {
  return `${groupDefinitionId}:${profileId}`;
}

export function applyMembershipEvent(table: MembershipTable, event: MembershipEvent): ApplyOutcome {
  const key = pairKey(event.data.group_definition_id, event.data.profile_id);
  const row = table.rows[key];
  const seen = row?.stream_version ?? 0;
  if (event.streamVersion < seen) return 'duplicate';
  if (event.streamVersion === seen) {
    return row?.last_event_id === event.id ? 'duplicate' : 'conflict';
  }

  let inTurn: boolean;
  switch (event.type) {
    case 'MemberAdded':
      inTurn = row?.is_member !== true;
      table.rows[key] = {
        group_definition_id: event.data.group_definition_id,
        profile_id: event.data.profile_id,
        is_member: true,
        membership_id: event.data.membership_id,
        added_at: event.data.added_at,
        expires_at: event.data.expires_at,
        removed_at: null,
        reason: null,
        removed_reason: null,
        source_type: event.data.source_type,
        stream_version: event.streamVersion,
        last_event_id: event.id,
      };
      break;
    case 'MemberRemoved': {
      // What the ended membership began with, when this table saw it begin.
      const ended = row?.membership_id === event.data.membership_id ? row : undefined;
      inTurn = ended?.is_member === true;
      table.rows[key] = {
        group_definition_id: event.data.group_definition_id,
        profile_id: event.data.profile_id,
        is_member: false,
        membership_id: event.data.membership_id,
        added_at: ended?.added_at ?? null,
        expires_at: ended?.expires_at ?? null,
        removed_at: event.data.removed_at,
        reason: event.data.reason,
        removed_reason: event.data.removed_reason,
        source_type: ended?.source_type ?? null,
        stream_version: event.streamVersion,
        last_event_id: event.id,
      };
      break;
    }
    default: {
      const unknown: never = event;
      throw new Error(`unhandled event ${JSON.stringify(unknown)}`);
    }
  }
  if (event.streamVersion > seen + 1) return 'gap';

  return inTurn ? 'applied' : 'out_of_turn';
}

/**
 * The profiles in a group at `now`. A membership past its `expires_at` is left out even
 * before its MemberRemoved (reason `expired`) arrives: the service emits that removal at
 * the expiry time, and it travels like any other event.
 */
export function currentMembers(
  table: MembershipTable,
  groupDefinitionId: number,
  now: Date,
): string[] {
  return Object.values(table.rows)
    .filter(
      (row) =>
        row.group_definition_id === groupDefinitionId &&
        row.is_member &&
        (row.expires_at === null || Date.parse(row.expires_at) > now.getTime()),
    )
    .map((row) => row.profile_id)
    .sort();
}
