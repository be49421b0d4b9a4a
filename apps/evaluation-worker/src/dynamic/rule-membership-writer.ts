import {
  type EventMetadata,
  type MembershipEvent,
  membershipStream,
} from '@profile-groups/contracts';
import { decideMembership, type GroupDefinitionState } from '@profile-groups/domain';
import { type Append, type EventStore } from '@profile-groups/event-store';
import { randomUUID } from 'node:crypto';

import { type PairIndex } from './pair-index';

export interface RuleDecision {
  readonly group: GroupDefinitionState;
  readonly profileId: string;
  readonly included: boolean;
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
 * Turns evaluation outcomes into membership events: only pairs whose state differs
 * get an event, so added and removed alternate per pair. Appends in chunks with the
 * versions the pair index holds; a pair refused as stale is reloaded and decided again.
 */
export class RuleMembershipWriter {
  constructor(
    private readonly store: EventStore,
    private readonly pairs: PairIndex,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * `isStale` is asked again before each attempt: a decision whose profile changed
   * meanwhile is dropped, the incremental evaluation of that change decides instead.
   */
  async write(
    decisions: readonly RuleDecision[],
    metadata: EventMetadata,
    isStale: (decision: RuleDecision) => boolean = () => false,
  ): Promise<WriteResult> {
    const result: WriteResult = { added: 0, removed: 0, changed: new Map() };
    let pending = decisions;
    for (let attempt = 1; pending.length > 0; attempt++) {
      pending = pending.filter((decision) => !isStale(decision));
      const refused: RuleDecision[] = [];
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
    decisions: readonly RuleDecision[],
    metadata: EventMetadata,
    result: WriteResult,
    reload: boolean,
  ): Promise<RuleDecision[]> {
    const now = this.clock();
    const appends: Append[] = [];
    const byStream = new Map<string, RuleDecision>();
    for (const decision of decisions) {
      const { group, profileId } = decision;
      const pair = reload
        ? await this.pairs.reload(group.id, profileId)
        : await this.pairs.pair(group.id, profileId);
      const events = decideMembership(group, pair.membership, {
        kind: 'ApplyRuleOutcome',
        profileId,
        included: decision.included,
        membershipId: randomUUID(),
        now,
      });
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
