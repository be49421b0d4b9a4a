import { Injectable } from '@nestjs/common';
import { membershipStream, type MembershipEvent } from '@profile-groups/contracts';
import {
  decideMembership,
  evolveMembership,
  type GroupDefinitionState,
  type MembershipState,
  NO_MEMBERSHIP,
} from '@profile-groups/domain';
import { EventStore, type StreamRead } from '@profile-groups/event-store';

/** One (group, profile) pair as the event store has it. */
export interface LoadedPair {
  readonly profileId: string;
  readonly stream: string;
  readonly state: MembershipState;
  readonly version: number;
}

/**
 * Up to this many profiles are read stream by stream; more, and the group's pair
 * streams are read in one query (a few reads beat scanning a large group).
 */
const SINGLE_READ_LIMIT = 25;

@Injectable()
export class MembershipPairs {
  constructor(private readonly eventStore: EventStore) {}

  async load(groupId: number, profileId: string): Promise<LoadedPair> {
    const stream = membershipStream(groupId, profileId);

    return toPair(profileId, await this.eventStore.readStream(stream));
  }

  /** Every requested pair, keyed by profile id; pairs without events are empty. */
  async loadMany(groupId: number, profileIds: readonly string[]): Promise<Map<string, LoadedPair>> {
    if (profileIds.length <= SINGLE_READ_LIMIT) {
      const pairs = await Promise.all(profileIds.map((id) => this.load(groupId, id)));

      return new Map(pairs.map((pair) => [pair.profileId, pair]));
    }
    const streams = await this.eventStore.readStreams('group-member', {
      group_definition_id: groupId,
    });

    return new Map(
      profileIds.map((profileId) => {
        const stream = membershipStream(groupId, profileId);
        const read = streams.get(stream) ?? { stream, version: 0, events: [] };

        return [profileId, toPair(profileId, read)];
      }),
    );
  }
}

function toPair(profileId: string, read: StreamRead): LoadedPair {
  const events = read.events as unknown as MembershipEvent[];

  return {
    profileId,
    stream: read.stream,
    state: events.reduce(evolveMembership, NO_MEMBERSHIP),
    version: read.version,
  };
}

/**
 * The removal a membership past its `expires_at` is due, and the state after it. The
 * worker stores such removals on its timer; a command that meets one first stores it
 * itself, so that added and removed keep alternating.
 */
export function dueExpiry(
  group: GroupDefinitionState,
  pair: LoadedPair,
  now: Date,
): { events: MembershipEvent[]; state: MembershipState } {
  const current = pair.state.current;
  if (current === null) return { events: [], state: pair.state };
  const events = decideMembership(group, pair.state, {
    kind: 'ExpireMember',
    profileId: pair.profileId,
    membershipId: current.membership_id,
    now,
  });

  return { events, state: events.reduce(evolveMembership, pair.state) };
}
