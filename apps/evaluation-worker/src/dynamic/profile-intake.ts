import { randomUUID } from 'node:crypto';

import {
  type EnvelopeOf,
  type EventMetadata,
  groupDefinitionStream,
  type GroupDefinitionEvent,
  type JsonObject,
  type MembershipEvent,
  membershipStream,
  type ProfileDeleted,
  type ProfileUpserted,
  profileInputProblem,
} from '@profile-groups/contracts';
import {
  decideMembership,
  evolveGroupDefinition,
  evolveMembership,
  type GroupDefinitionState,
  NO_MEMBERSHIP,
} from '@profile-groups/domain';
import { type Append, type EventStore } from '@profile-groups/event-store';
import {
  EvaluationPacer,
  type InputPosition,
  type ProfileRecord,
  type ProfileStore,
  type SnapshotArchive,
} from '@profile-groups/evaluation';
import { PermanentFailure } from '@profile-groups/messaging';
import { type Logger } from '@profile-groups/observability';

import { type EvaluationLog } from './evaluation-log';
import { type GroupCatalog } from './group-catalog';
import { type PairIndex } from './pair-index';
import { type ProfileChangeLog } from './profile-change-log';
import { nextRefreshAt } from './refresh-schedule';
import { RuleFailureTally } from './rule-failure-tally';
import { type RuleDecision, type RuleMembershipWriter } from './rule-membership-writer';
import { type TimeRechecks } from './time-rechecks';
import { VersionDigest } from './version-digest';

export interface IntakeDependencies {
  readonly store: EventStore;
  readonly profiles: ProfileStore;
  readonly catalog: GroupCatalog;
  readonly writer: RuleMembershipWriter;
  /** Told of the removals a deletion appends, so later evaluations start from them. */
  readonly pairs: PairIndex;
  readonly archive: SnapshotArchive;
  readonly log: EvaluationLog;
  readonly changes: ProfileChangeLog;
  readonly rechecks: TimeRechecks;
  readonly logger: Logger;
  readonly clock?: () => Date;
}

/**
 * Profile input: stores each change, then evaluates every evaluated dynamic group for
 * the profiles that changed, so their membership events follow at once rather than
 * at the next refresh. Changes are stored one by one as they arrive and evaluated
 * together when the consumer's batch ends (`flush`, before its offsets are
 * committed): alone when traffic is light, in one round of writes when it is heavy.
 * A run that moved profiles in or out leaves a snapshot per group (trigger
 * `profile_change`, or `time` for a time-dependent recheck).
 *
 * A redelivered change is not stored again, but its profile is evaluated again: the
 * process that stored it may have died before evaluating it, and evaluating twice
 * changes nothing.
 */
export class ProfileIntake {
  private readonly clock: () => Date;
  private readonly pending = new Map<string, { record: ProfileRecord; metadata: EventMetadata }>();
  private sweeping: Promise<void> | null = null;

  constructor(private readonly deps: IntakeDependencies) {
    this.clock = deps.clock ?? (() => new Date());
  }

  async upserted(event: EnvelopeOf<ProfileUpserted>, position: InputPosition): Promise<void> {
    const { profile_id: profileId, attributes, upserted_at } = event.data;
    refuseUnusable(profileId, attributes);
    const applied = await this.deps.profiles.apply(
      profileId,
      { kind: 'upsert', attributes, at: upserted_at },
      position,
    );
    if (applied !== undefined && applied !== null) {
      this.deps.changes.note(profileId, applied.version, this.clock().getTime());
    }
    const record = applied === undefined ? await this.deps.profiles.get(profileId) : applied;
    if (record !== null) this.pending.set(profileId, { record, metadata: metadataOf(event) });
  }

  async deleted(event: EnvelopeOf<ProfileDeleted>, position: InputPosition): Promise<void> {
    const profileId = event.data.profile_id;
    refuseUnusable(profileId);
    const applied = await this.deps.profiles.apply(
      profileId,
      { kind: 'delete', at: event.data.deleted_at },
      position,
    );
    if (applied !== undefined) {
      this.deps.changes.note(profileId, Number.MAX_SAFE_INTEGER, this.clock().getTime());
    }
    this.pending.delete(profileId);
    // Also on a redelivery (then the store says whether it is still deleted): ending
    // memberships that are already ended is a no-op.
    const gone = applied === null || (await this.deps.profiles.get(profileId)) === null;
    if (gone) {
      await this.endMemberships(profileId, metadataOf(event));
    }
  }

  /** Evaluates the changes stored since the last flush; they stay pending if it fails. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    try {
      await this.evaluate(
        batch,
        this.deps.catalog.evaluated().map((entry) => entry.state.id),
        'profile_change',
      );
    } catch (error) {
      for (const item of batch) {
        if (!this.pending.has(item.record.profile_id))
          this.pending.set(item.record.profile_id, item);
      }
      throw error;
    }
    this.sweepInBackground();
  }

  /** Superseded profile versions are deleted off the evaluation path (see ProfileStore.sweep). */
  private sweepInBackground(): void {
    if (this.sweeping !== null) return;
    this.sweeping = this.deps.profiles
      .sweep()
      .catch((error: unknown) =>
        this.deps.logger.warn('profiles.sweep_failed', {
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => {
        this.sweeping = null;
      });
  }

  /** Waits for a background sweep (shutdown and tests). */
  async settle(): Promise<void> {
    await this.sweeping;
  }

  /** Re-evaluates profiles whose time-dependent rules may have flipped. */
  async recheck(groupId: number, profileIds: readonly string[]): Promise<void> {
    const metadata = { correlation_id: randomUUID(), causation_id: null, actor: 'system:time' };
    const batch: { record: ProfileRecord; metadata: EventMetadata }[] = [];
    for (const profileId of profileIds) {
      const record = await this.deps.profiles.get(profileId);
      if (record !== null) batch.push({ record, metadata });
    }
    await this.evaluate(batch, [groupId], 'time');
  }

  private async evaluate(
    batch: readonly { record: ProfileRecord; metadata: EventMetadata }[],
    groupIds: readonly number[],
    trigger: 'profile_change' | 'time',
  ): Promise<void> {
    if (batch.length === 0) return;
    const { catalog, writer, rechecks } = this.deps;
    const startedAt = this.clock();
    const at = startedAt.getTime();
    const decisions: RuleDecision[] = [];
    const outcomes = new Map<string, { included: boolean; matched: number[]; version: number }>();
    const pacer = new EvaluationPacer();
    for (const groupId of groupIds) {
      const entry = catalog.get(groupId);
      if (!entry?.evaluator) continue;
      const failures = new RuleFailureTally();
      for (const { record, metadata } of batch) {
        const outcome = entry.evaluator.evaluate(record.attributes, at, { usage: pacer.usage });
        failures.add(record.profile_id, outcome.errors);
        if (pacer.due()) await pacer.yield();
        decisions.push({
          group: entry.state,
          profileId: record.profile_id,
          included: outcome.included,
          metadata,
        });
        outcomes.set(`${groupId}\u0000${record.profile_id}`, {
          included: outcome.included,
          matched: outcome.matchedRuleIds,
          version: record.version,
        });
        if (entry.evaluator.usesTime)
          rechecks.schedule(groupId, record.profile_id, outcome.nextChange);
      }
      if (!failures.isEmpty) {
        this.deps.logger.warn('evaluation.rule_failures', {
          group_definition_id: groupId,
          trigger,
          ...failures.fields(),
        });
      }
    }
    // The batch's first change stands for the whole run in the snapshot's metadata.
    const metadata = batch[0]!.metadata;
    const written = await writer.write(decisions, metadata);
    for (const [groupId, changed] of written.changed) {
      await this.recordSnapshot(groupId, changed, outcomes, trigger, startedAt, metadata);
    }
  }

  private async recordSnapshot(
    groupId: number,
    changed: ReadonlySet<string>,
    outcomes: ReadonlyMap<string, { included: boolean; matched: number[]; version: number }>,
    trigger: 'profile_change' | 'time',
    startedAt: Date,
    metadata: EventMetadata,
  ): Promise<void> {
    const entry = this.deps.catalog.get(groupId);
    if (!entry?.evaluator) return;
    const snapshotId = randomUUID();
    const results = [...changed].map((profileId) => {
      const outcome = outcomes.get(`${groupId}\u0000${profileId}`)!;

      return {
        profile_id: profileId,
        profile_version: outcome.version,
        included: outcome.included,
        matched_rule_ids: outcome.matched,
        changed: true,
      };
    });
    await this.deps.archive.write(snapshotId, groupId, results);
    const added = results.filter((r) => r.included).length;
    await this.deps.log.append(
      groupId,
      [
        {
          type: 'SnapshotTaken',
          data: {
            group_definition_id: groupId,
            snapshot_id: snapshotId,
            trigger,
            started_at: startedAt.toISOString(),
            finished_at: this.clock().toISOString(),
            definition_version: entry.state.version,
            rule_versions: entry.evaluator.ruleVersions,
            counts: {
              evaluated: results.length,
              included: added,
              added,
              removed: results.length - added,
            },
            profile_versions_digest: digestOf(results),
            next_refresh_at: nextRefreshAt(entry.state, startedAt)?.toISOString() ?? null,
          },
        },
      ],
      metadata,
    );
  }

  /** A deleted profile leaves every group, static ones included (reason profile_deleted). */
  private async endMemberships(profileId: string, metadata: EventMetadata): Promise<void> {
    const { store, logger } = this.deps;
    for (let attempt = 1; attempt <= 4; attempt++) {
      const pairs = await store.readStreams('group-member', { profile_id: profileId });
      const appends: Append[] = [];
      for (const read of pairs.values()) {
        const events = read.events as unknown as MembershipEvent[];
        const groupId = events[0]?.data.group_definition_id;
        if (groupId === undefined) continue;
        const group = await this.groupForRemoval(groupId);
        const decided = decideMembership(group, events.reduce(evolveMembership, NO_MEMBERSHIP), {
          kind: 'EndMembershipOfDeletedProfile',
          profileId,
          now: this.clock(),
        });
        if (decided.length > 0) {
          appends.push({
            stream: membershipStream(groupId, profileId),
            expectedVersion: read.version,
            events: decided,
          });
        }
      }
      const { appended, conflicts } = await store.appendMany(appends, metadata);
      for (const events of appended.values()) {
        for (const event of events) {
          this.deps.pairs.observe(event as unknown as { stream_version: number } & MembershipEvent);
        }
      }
      if (conflicts.length === 0) return;
      logger.debug('profile.delete_retry', { profile_id: profileId, conflicts: conflicts.length });
    }
    throw new Error(`Memberships of deleted profile ${profileId} kept changing`);
  }

  private async groupForRemoval(groupId: number): Promise<GroupDefinitionState | null> {
    const known = this.deps.catalog.get(groupId);
    if (known !== undefined) return known.state;
    const read = await this.deps.store.readStream(groupDefinitionStream(groupId));

    return (read.events as unknown as GroupDefinitionEvent[]).reduce<GroupDefinitionState | null>(
      evolveGroupDefinition,
      null,
    );
  }
}

/** Input REST would refuse goes to the dead-letter topic with the reason, untouched. */
function refuseUnusable(profileId: string, attributes?: JsonObject): void {
  const problem = profileInputProblem(profileId, attributes);
  if (problem !== null) throw new PermanentFailure('profile.invalid_input', problem);
}

function metadataOf(event: { id: string; correlation_id: string }): EventMetadata {
  return { correlation_id: event.correlation_id, causation_id: event.id, actor: 'system:rules' };
}

function digestOf(results: readonly { profile_id: string; profile_version: number }[]): string {
  const digest = new VersionDigest();
  for (const result of results) digest.add(result.profile_id, result.profile_version);

  return digest.value();
}
