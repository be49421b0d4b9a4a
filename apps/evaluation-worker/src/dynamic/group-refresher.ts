import { randomUUID } from 'node:crypto';

import {
  type EvaluationTrigger,
  type EventMetadata,
  type SnapshotTaken,
} from '@profile-groups/contracts';
import {
  EvaluationPacer,
  type ProfileResult,
  type ProfileStore,
  type SnapshotArchive,
} from '@profile-groups/evaluation';
import { type Logger } from '@profile-groups/observability';

import { type EvaluationLog } from './evaluation-log';
import { type GroupCatalog, isEvaluated } from './group-catalog';
import { type PairIndex } from './pair-index';
import { type ProfileChangeLog } from './profile-change-log';
import { nextRefreshAt } from './refresh-schedule';
import { RuleFailureTally } from './rule-failure-tally';
import { type RuleDecision, type RuleMembershipWriter } from './rule-membership-writer';
import { type TimeRechecks } from './time-rechecks';
import { VersionDigest } from './version-digest';

export interface RefreshDependencies {
  readonly catalog: GroupCatalog;
  readonly profiles: ProfileStore;
  readonly archive: SnapshotArchive;
  readonly pairs: PairIndex;
  readonly writer: RuleMembershipWriter;
  readonly log: EvaluationLog;
  readonly changes: ProfileChangeLog;
  readonly rechecks: TimeRechecks;
  readonly logger: Logger;
  readonly clock?: () => Date;
  readonly batchSize?: number;
}

export type SnapshotData = SnapshotTaken['data'];

/** The group stopped being evaluated (deactivated, archived, deleted) during its run. */
export class RefreshCancelled extends Error {
  constructor(groupId: number, evaluated: number) {
    super(
      `Cancelled: group ${groupId} was deactivated, archived or deleted during the run ` +
        `(stopped after ${evaluated} profiles).`,
    );
    this.name = 'RefreshCancelled';
  }
}

/**
 * A full evaluation of one dynamic group: streams the profile store in batches
 * (bounded memory), evaluates every profile at one instant, appends only the
 * differences, archives each profile's result and ends with SnapshotTaken.
 */
export class GroupRefresher {
  private readonly clock: () => Date;
  private readonly batchSize: number;
  private readonly running = new Map<number, number>();

  constructor(private readonly deps: RefreshDependencies) {
    this.clock = deps.clock ?? (() => new Date());
    this.batchSize = deps.batchSize ?? 1000;
  }

  /** Start time of the oldest refresh in progress (epoch ms), or null. */
  oldestRunningSince(): number | null {
    const starts = [...this.running.values()];

    return starts.length === 0 ? null : Math.min(...starts);
  }

  async refresh(
    groupId: number,
    trigger: EvaluationTrigger,
    metadata: EventMetadata,
  ): Promise<SnapshotData | null> {
    const { catalog, log, logger } = this.deps;
    const entry = await catalog.reload(groupId);
    if (entry === null || !isEvaluated(entry.state)) {
      logger.info('refresh.skipped', { group_definition_id: groupId, trigger });
      // An operator is waiting on this one: say why it will not run, or the group
      // would show `queued` for good.
      if (trigger === 'manual') {
        await log.append(
          groupId,
          [
            {
              type: 'RefreshFailed',
              data: {
                group_definition_id: groupId,
                snapshot_id: randomUUID(),
                trigger,
                error:
                  'The group is not evaluated: it is inactive, archived, deleted or not dynamic.',
                failed_at: this.clock().toISOString(),
              },
            },
          ],
          metadata,
        );
      }

      return null;
    }
    const snapshotId = randomUUID();
    const startedAt = this.clock();
    await log.append(
      groupId,
      [
        {
          type: 'RefreshStarted',
          data: {
            group_definition_id: groupId,
            snapshot_id: snapshotId,
            trigger,
            started_at: startedAt.toISOString(),
          },
        },
      ],
      metadata,
    );
    this.running.set(groupId, startedAt.getTime());
    logger.info('refresh.started', {
      group_definition_id: groupId,
      snapshot_id: snapshotId,
      trigger,
    });
    try {
      if (entry.evaluator === null) throw new Error(entry.compileError ?? 'rules do not compile');
      const counts = await this.evaluateAll(groupId, snapshotId, startedAt, metadata);
      const snapshot: SnapshotData = {
        group_definition_id: groupId,
        snapshot_id: snapshotId,
        trigger,
        started_at: startedAt.toISOString(),
        finished_at: this.clock().toISOString(),
        definition_version: entry.state.version,
        rule_versions: entry.evaluator.ruleVersions,
        counts: counts.counts,
        profile_versions_digest: counts.digest,
        next_refresh_at: nextRefreshAt(entry.state, startedAt)?.toISOString() ?? null,
      };
      await log.append(groupId, [{ type: 'SnapshotTaken', data: snapshot }], metadata);
      logger.info('refresh.finished', { snapshot_id: snapshotId, ...snapshot.counts });

      return snapshot;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const fields = { group_definition_id: groupId, snapshot_id: snapshotId, error: message };
      if (error instanceof RefreshCancelled) logger.info('refresh.cancelled', fields);
      else logger.error('refresh.failed', fields);
      await log.append(
        groupId,
        [
          {
            type: 'RefreshFailed',
            data: {
              group_definition_id: groupId,
              snapshot_id: snapshotId,
              trigger,
              error: message.slice(0, 1000),
              failed_at: this.clock().toISOString(),
            },
          },
        ],
        metadata,
      );

      return null;
    } finally {
      this.running.delete(groupId);
    }
  }

  private async evaluateAll(
    groupId: number,
    snapshotId: string,
    startedAt: Date,
    metadata: EventMetadata,
  ): Promise<{ counts: SnapshotData['counts']; digest: string }> {
    const { catalog, profiles, archive, pairs, writer, changes, rechecks, logger } = this.deps;
    const entry = catalog.get(groupId);
    const evaluator = entry?.evaluator;
    if (!entry || !evaluator) throw new Error(`group ${groupId} left the catalog`);
    const at = startedAt.getTime();
    const members = await pairs.pairsOf(groupId);
    const total = await profiles.count();
    const digest = new VersionDigest();
    const seen = new Set<string>();
    const counts = { evaluated: 0, included: 0, added: 0, removed: 0 };
    const versionOf = new Map<string, number>();
    const failures = new RuleFailureTally();
    const pacer = new EvaluationPacer();
    const isStale = (decision: RuleDecision) =>
      changes.changedSince(decision.profileId, versionOf.get(decision.profileId) ?? null, at);
    let chunk = 0;
    let batches = 0;
    let inFlight: Promise<void> = Promise.resolve();

    const flush = async (decisions: RuleDecision[], results: ProfileResult[]) => {
      const written = await writer.write(decisions, metadata, isStale);
      counts.added += written.added;
      counts.removed += written.removed;
      chunk = await archive.write(snapshotId, groupId, results, chunk);
    };

    for await (const batch of profiles.scan(this.batchSize)) {
      if (!stillEvaluated(catalog, groupId)) {
        await inFlight;
        throw new RefreshCancelled(groupId, counts.evaluated);
      }
      const decisions: RuleDecision[] = [];
      const results: ProfileResult[] = [];
      for (const profile of batch) {
        const outcome = evaluator.evaluate(profile.attributes, at, { usage: pacer.usage });
        failures.add(profile.profile_id, outcome.errors);
        // Costly rules must not hold up Kafka heartbeats and health checks for a batch.
        if (pacer.due()) await pacer.yield();
        const member = (members.get(profile.profile_id)?.membership.current ?? null) !== null;
        const changed = outcome.included !== member;
        seen.add(profile.profile_id);
        versionOf.set(profile.profile_id, profile.version);
        digest.add(profile.profile_id, profile.version);
        counts.evaluated++;
        if (outcome.included) counts.included++;
        if (changed)
          decisions.push({
            group: entry.state,
            profileId: profile.profile_id,
            included: outcome.included,
          });
        if (evaluator.usesTime) rechecks.schedule(groupId, profile.profile_id, outcome.nextChange);
        results.push({
          profile_id: profile.profile_id,
          profile_version: profile.version,
          included: outcome.included,
          matched_rule_ids: outcome.matchedRuleIds,
          changed,
        });
      }
      // Writing a batch overlaps reading the next; one write is in flight at a time.
      await inFlight;
      inFlight = flush(decisions, results);
      // Awaited on the next turn; until then a failure must not count as unhandled.
      inFlight.catch(() => undefined);
      if (++batches % 10 === 0) {
        logger.info('refresh.progress', {
          group_definition_id: groupId,
          snapshot_id: snapshotId,
          evaluated: counts.evaluated,
          total,
        });
      }
    }

    await inFlight;
    if (!failures.isEmpty) {
      // The run stands: such a rule matched none of those profiles (docs/dynamic-groups.md).
      logger.warn('refresh.rule_failures', {
        group_definition_id: groupId,
        snapshot_id: snapshotId,
        ...failures.fields(),
      });
    }

    // Members the store no longer holds (deleted, or never loaded) leave the group.
    const gone: RuleDecision[] = [];
    for (const [profileId, pair] of members) {
      if (pair.membership.current !== null && !seen.has(profileId)) {
        gone.push({ group: entry.state, profileId, included: false });
      }
    }
    if (gone.length > 0) {
      const written = await writer.write(gone, metadata, isStale);
      counts.removed += written.removed;
    }

    return { counts, digest: digest.value() };
  }
}

/** The catalog follows definition events while a run goes on; it says whether to go on. */
function stillEvaluated(catalog: GroupCatalog, groupId: number): boolean {
  const entry = catalog.get(groupId);

  return entry !== undefined && isEvaluated(entry.state);
}
