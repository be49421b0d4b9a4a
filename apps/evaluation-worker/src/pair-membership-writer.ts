import { randomUUID } from 'node:crypto';

import {
  type EventMetadata,
  type MembershipEvent,
  membershipStream,
} from '@profile-groups/contracts';
import {
  decideMembership,
  type GroupDefinitionState,
  type MembershipCommand,
} from '@profile-groups/domain';
import { type Append, type EventStore } from '@profile-groups/event-store';

import { type PairIndex } from './dynamic/pair-index';

/** What is to become of one (group, profile) pair. */
export interface PairDecision {
  readonly group: GroupDefinitionState;
  readonly profileId: string;
  /** The change that led to it, when it is not the write's as a whole. */
  readonly metadata?: EventMetadata;
}

export interface WriteResult {
  added: number;
  removed: number;
  /** Per group, the profiles whose membership this write changed. */
  readonly changed: Map<number, Set<string>>;
}

const CHUNK = 500;
const ATTEMPTS = 4;

/**
 * Turns system decisions about pairs into membership events: each pair is decided on
 * the state the pair index holds, only pairs whose state changes get an event (so
 * added and removed alternate per pair), appended in chunks with the versions the
 * index holds. A pair refused as stale is reloaded and decided again. Subclasses say
 * which domain command a decision is.
 */
export abstract class PairMembershipWriter<D extends PairDecision> {
  constructor(
    private readonly store: EventStore,
    private readonly pairs: PairIndex,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  protected abstract commandOf(decision: D, membershipId: string, now: Date): MembershipCommand;

  /**
   * `isStale` is asked again before each attempt: a decision it drops is left to
   * whoever changed the pair's input meanwhile.
   */
  async write(
    decisions: readonly D[],
    metadata: EventMetadata,
    isStale: (decision: D) => boolean = () => false,
  ): Promise<WriteResult> {
    const result: WriteResult = { added: 0, removed: 0, changed: new Map() };
    let pending = decisions;
    for (let attempt = 1; pending.length > 0; attempt++) {
      pending = pending.filter((decision) => !isStale(decision));
      const refused: D[] = [];
      for (let i = 0; i < pending.length; i += CHUNK) {
        refused.push(
          ...(await this.writeChunk(pending.slice(i, i + CHUNK), metadata, result, attempt > 1)),
        );
      }
      if (refused.length > 0 && attempt >= ATTEMPTS) {
        throw new Error(`${refused.length} memberships kept meeting concurrent writers`);
      }
      pending = refused;
    }

    return result;
  }

  private async writeChunk(
    decisions: readonly D[],
    metadata: EventMetadata,
    result: WriteResult,
    reload: boolean,
  ): Promise<D[]> {
    const now = this.clock();
    const appends: Append[] = [];
    const byStream = new Map<string, D>();
    for (const decision of decisions) {
      const { group, profileId } = decision;
      const pair = reload
        ? await this.pairs.reload(group.id, profileId)
        : await this.pairs.pair(group.id, profileId);
      const events = decideMembership(
        group,
        pair.membership,
        this.commandOf(decision, randomUUID(), now),
      );
      if (events.length === 0) continue;
      const stream = membershipStream(group.id, profileId);
      appends.push({
        stream,
        expectedVersion: pair.version,
        events,
        ...(decision.metadata === undefined ? {} : { metadata: decision.metadata }),
      });
      byStream.set(stream, decision);
    }
    if (appends.length === 0) return [];

    const { appended, conflicts } = await this.store.appendMany(appends, metadata);
    for (const [stream, events] of appended) {
      const decision = byStream.get(stream);
      if (decision === undefined) continue;
      for (const event of events) {
        this.pairs.observe(event as unknown as { stream_version: number } & MembershipEvent);
        if (event.type === 'MemberAdded') result.added++;
        else result.removed++;
      }
      const changed = result.changed.get(decision.group.id) ?? new Set<string>();
      changed.add(decision.profileId);
      result.changed.set(decision.group.id, changed);
    }

    return conflicts.flatMap((stream) => byStream.get(stream) ?? []);
  }
}
