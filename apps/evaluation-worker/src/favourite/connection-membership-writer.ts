import { randomUUID } from 'node:crypto';

import {
  type EventMetadata,
  type MembershipEvent,
  membershipStream,
} from '@profile-groups/contracts';
import {
  type ConnectionSnapshot,
  decideMembership,
  type GroupDefinitionState,
} from '@profile-groups/domain';
import { type Append, type EventStore } from '@profile-groups/event-store';

import { type PairIndex } from '../dynamic/pair-index';

/** The owner's connection to one profile, to apply to one of the owner's instances. */
export interface ConnectionDecision {
  readonly group: GroupDefinitionState;
  readonly profileId: string;
  readonly connection: ConnectionSnapshot | null;
}

export interface ConnectionWriteResult {
  added: number;
  removed: number;
}

const ATTEMPTS = 4;

/**
 * Turns connections into membership events of favourite instances: each pair is
 * decided from the pair index (`ApplyConnectionOutcome`), only pairs that change get
 * an event, and all are appended in one round of writes. A pair refused as stale (a
 * manual add or removal got there first) is reloaded and decided again.
 */
export class ConnectionMembershipWriter {
  constructor(
    private readonly store: EventStore,
    private readonly pairs: PairIndex,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async write(
    decisions: readonly ConnectionDecision[],
    metadata: EventMetadata,
  ): Promise<ConnectionWriteResult> {
    const result: ConnectionWriteResult = { added: 0, removed: 0 };
    let pending = decisions;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const refused = await this.attempt(pending, metadata, result, attempt > 1);
      if (refused.length > 0 && attempt >= ATTEMPTS) {
        throw new Error(`${refused.length} memberships kept meeting concurrent writers`);
      }
      pending = refused;
    }

    return result;
  }

  private async attempt(
    decisions: readonly ConnectionDecision[],
    metadata: EventMetadata,
    result: ConnectionWriteResult,
    reload: boolean,
  ): Promise<ConnectionDecision[]> {
    const now = this.clock();
    const appends: Append[] = [];
    const byStream = new Map<string, ConnectionDecision>();
    for (const decision of decisions) {
      const { group, profileId } = decision;
      const pair = reload
        ? await this.pairs.reload(group.id, profileId)
        : await this.pairs.pair(group.id, profileId);
      const events = decideMembership(group, pair.membership, {
        kind: 'ApplyConnectionOutcome',
        profileId,
        connection: decision.connection,
        membershipId: randomUUID(),
        now,
      });
      if (events.length === 0) continue;
      const stream = membershipStream(group.id, profileId);
      appends.push({ stream, expectedVersion: pair.version, events });
      byStream.set(stream, decision);
    }
    if (appends.length === 0) return [];

    const { appended, conflicts } = await this.store.appendMany(appends, metadata);
    for (const events of appended.values()) {
      for (const event of events) {
        this.pairs.observe(event as unknown as { stream_version: number } & MembershipEvent);
        if (event.type === 'MemberAdded') result.added++;
        else result.removed++;
      }
    }

    return conflicts.flatMap((stream) => byStream.get(stream) ?? []);
  }
}
