import { randomUUID } from 'node:crypto';

import {
  type EnvelopeOf,
  type EvaluationEvent,
  type EvaluationTrigger,
  type EventMetadata,
  type GroupDefinitionEvent,
  type RuleDefinitionEvent,
  ruleDefinitionStream,
  groupDefinitionStream,
} from '@profile-groups/contracts';
import {
  decideGroupDefinition,
  evolveGroupDefinition,
  evolveRuleDefinition,
  type GroupDefinitionState,
  type RuleDefinitionState,
} from '@profile-groups/domain';
import { decideAndAppend, type EventStore } from '@profile-groups/event-store';
import { type Logger } from '@profile-groups/observability';

import { type EvaluationLog } from './evaluation-log';
import { type GroupCatalog, isEvaluated } from './group-catalog';
import { type GroupRefresher } from './group-refresher';
import { type PairIndex } from './pair-index';
import { type ProfileChangeLog } from './profile-change-log';
import { type ProfileIntake } from './profile-intake';
import { nextRefreshAt } from './refresh-schedule';
import { type TimeRechecks } from './time-rechecks';

export interface DynamicGroupsOptions {
  /** How often the whole catalog is re-read (bounds staleness across instances). */
  readonly catalogReloadMs: number;
  /** How often due refreshes and time rechecks are looked for. */
  readonly tickMs: number;
}

/** Events of a definition's stream after which its members must be evaluated again. */
const RE_EVALUATE_ON = new Set<GroupDefinitionEvent['type']>([
  'GroupRuleAdded',
  'RuleChanged',
  'GroupRuleRemoved',
  'GroupDefinitionActivated',
  'GroupDefinitionUnarchived',
]);

/**
 * The evaluation side of dynamic groups: decides when a group is evaluated in full
 * (its rules changed, an operator asked, its schedule came round, the worker started
 * with work left over) and runs those refreshes one at a time; follows rule
 * definitions so the groups built from them take each new version; and re-checks
 * time-dependent rules at the instant they can flip.
 *
 * TODO: with more than one worker instance, two instances can refresh one group at
 * once (each has its own queue) and a refresh can act on a profile another instance
 * just changed; a lease per group (a unique-insert claim) would make refreshes exclusive.
 */
export class DynamicGroups {
  private readonly queue = new Map<number, EvaluationTrigger>();
  /**
   * Per group, the definition version a queued, running or finished refresh covers
   * (a refresh reads the group afresh, so it sees at least that version). A definition
   * event at or below it needs no run of its own: a worker catching up on a backlog,
   * or a redelivery, would otherwise refresh once per event.
   */
  private readonly covered = new Map<number, number>();
  private readonly schedule = new Map<number, number>();
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastCatalogLoad = 0;
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly catalog: GroupCatalog,
    private readonly refresher: GroupRefresher,
    private readonly intake: ProfileIntake,
    private readonly pairs: PairIndex,
    private readonly log: EvaluationLog,
    private readonly changes: ProfileChangeLog,
    private readonly rechecks: TimeRechecks,
    private readonly logger: Logger,
    private readonly options: DynamicGroupsOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async start(): Promise<void> {
    await this.catalog.loadAll();
    this.lastCatalogLoad = this.clock().getTime();
    await this.pairs.preload(new Set(this.catalog.evaluated().map((entry) => entry.state.id)));
    await this.recoverPendingWork();
    this.stopped = false;
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.draining;
  }

  /** Whether refreshes are waiting or running (tests and health use it). */
  get busy(): boolean {
    return this.queue.size > 0 || this.draining !== null;
  }

  async onDefinitionEvent(event: EnvelopeOf<GroupDefinitionEvent>): Promise<void> {
    const groupId = event.data.group_definition_id;
    const before = this.catalog.get(groupId)?.state ?? null;
    const entry = await this.catalog.reload(groupId);
    if (entry === null) {
      this.schedule.delete(groupId);
      this.queue.delete(groupId);
      this.covered.delete(groupId);
      this.pairs.forget(groupId);

      return;
    }
    if (!isEvaluated(entry.state)) return;
    const queryChanged =
      event.type === 'GroupDefinitionUpdated' && event.data.changes.query !== undefined;
    const covered = this.covered.get(groupId) ?? 0;
    if ((RE_EVALUATE_ON.has(event.type) || queryChanged) && event.stream_version > covered) {
      this.covered.set(groupId, entry.state.version);
      this.enqueue(groupId, 'rule_change');
    }
    if (before === null || scheduleChanged(before, entry.state)) {
      await this.reschedule(entry.state, metadataOf(event));
    }
  }

  async onRuleDefinitionEvent(event: EnvelopeOf<RuleDefinitionEvent>): Promise<void> {
    if (event.type !== 'RuleDefinitionUpdated') return;
    const template = await this.ruleDefinition(event.data.rule_definition_id);
    if (template === null) return;
    const metadata = metadataOf(event);
    // Groups of other instances are in the store even if not in this catalog yet.
    await this.catalog.loadAll();
    for (const entry of this.catalog.usingRuleDefinition(template.id)) {
      await decideAndAppend(
        this.store,
        {
          stream: groupDefinitionStream(entry.state.id),
          initial: null as GroupDefinitionState | null,
          evolve: evolveGroupDefinition,
          decide: (state) =>
            state === null || state.deleted
              ? []
              : decideGroupDefinition(state, {
                  kind: 'ReresolveGroupRules',
                  template,
                  now: this.clock(),
                }),
        },
        metadata,
        5,
      );
    }
  }

  onEvaluationEvent(event: EnvelopeOf<EvaluationEvent>): void {
    if (event.type === 'RefreshRequested') this.enqueue(event.data.group_definition_id, 'manual');
  }

  enqueue(groupId: number, trigger: EvaluationTrigger): void {
    if (!this.queue.has(groupId)) this.queue.set(groupId, trigger);
    this.drain();
  }

  /** Resolves once no refresh is queued or running. */
  async idle(): Promise<void> {
    while (this.draining !== null) await this.draining;
  }

  private drain(): void {
    if (this.draining !== null || this.stopped) return;
    this.draining = (async () => {
      try {
        for (;;) {
          const next = this.queue.entries().next();
          if (next.done === true || this.stopped) return;
          const [groupId, trigger] = next.value;
          this.queue.delete(groupId);
          await this.runRefresh(groupId, trigger);
        }
      } finally {
        this.draining = null;
      }
    })();
  }

  private async runRefresh(groupId: number, trigger: EvaluationTrigger): Promise<void> {
    try {
      const snapshot = await this.refresher.refresh(groupId, trigger, {
        correlation_id: randomUUID(),
        causation_id: null,
        actor: `system:refresh:${trigger}`,
      });
      const next = snapshot?.next_refresh_at ?? null;
      if (next === null) this.schedule.delete(groupId);
      else this.schedule.set(groupId, Date.parse(next));
    } catch (error) {
      // The refresher records its own failures; this is the store being unreachable.
      this.logger.error('refresh.crashed', {
        group_definition_id: groupId,
        error: error instanceof Error ? error.message : String(error),
      });
      this.queue.set(groupId, trigger);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick().then(
        () => this.arm(),
        (error: unknown) => {
          this.logger.warn('evaluation.tick_failed', {
            error: error instanceof Error ? error.message : String(error),
          });
          this.arm();
        },
      );
    }, this.options.tickMs);
  }

  private async tick(): Promise<void> {
    const now = this.clock().getTime();
    for (const [groupId, at] of this.schedule) {
      if (at <= now) {
        this.schedule.delete(groupId);
        this.enqueue(groupId, 'schedule');
      }
    }
    for (const [groupId, profileIds] of this.rechecks.takeDue(now)) {
      await this.intake.recheck(groupId, profileIds);
    }
    this.changes.prune(this.refresher.oldestRunningSince() ?? now);
    if (now - this.lastCatalogLoad >= this.options.catalogReloadMs) {
      await this.catalog.loadAll();
      this.lastCatalogLoad = now;
    }
  }

  private async reschedule(state: GroupDefinitionState, metadata: EventMetadata): Promise<void> {
    const known = this.schedule.get(state.id);
    const next =
      state.attributes.refresh_period === null
        ? null
        : (nextRefreshAt(state, this.clock()) ?? null);
    if (next === null && known === undefined) return;
    if (next === null) this.schedule.delete(state.id);
    else this.schedule.set(state.id, next.getTime());
    await this.log.append(
      state.id,
      [
        {
          type: 'RefreshScheduled',
          data: { group_definition_id: state.id, next_refresh_at: next?.toISOString() ?? null },
        },
      ],
      metadata,
    );
  }

  /**
   * After a restart: refreshes asked for but not run, groups whose rules changed
   * since their last full run, schedules from the last runs, and a full run of every
   * time-dependent group to re-arm its rechecks. (Trigger `time` and `profile_change`
   * mark incremental runs of a few profiles.)
   */
  private async recoverPendingWork(): Promise<void> {
    const history = new Map<number, GroupHistory>();
    for await (const read of this.store.readAllStreams('group-evaluation')) {
      const events = read.events as unknown as EvaluationEvent[];
      const groupId = events[0]?.data.group_definition_id;
      if (groupId !== undefined) history.set(groupId, summarise(events));
    }
    await this.closeInterruptedRuns(history);
    const now = this.clock().getTime();
    for (const entry of this.catalog.evaluated()) {
      const past = history.get(entry.state.id) ?? EMPTY_HISTORY;
      // One run covers every reason there is to run one.
      const rulesChanged =
        entry.state.rules.length > 0 && past.lastDefinitionVersion !== entry.state.version;
      // The rechecks of time-dependent rules live in memory: a full run re-arms them.
      const timeDependent = entry.evaluator?.usesTime === true;
      if (past.lastDefinitionVersion !== null) {
        this.covered.set(entry.state.id, past.lastDefinitionVersion);
      }
      if (rulesChanged) this.covered.set(entry.state.id, entry.state.version);
      if (past.requestedAfterLastRun) this.enqueue(entry.state.id, 'manual');
      else if (past.interrupted !== null) this.enqueue(entry.state.id, past.interrupted.trigger);
      else if (rulesChanged) this.enqueue(entry.state.id, 'rule_change');
      else if (timeDependent) this.enqueue(entry.state.id, 'schedule');
      const next =
        past.lastFullStart === null
          ? entry.state.attributes.refresh_period === null
            ? null
            : now
          : (nextRefreshAt(entry.state, new Date(past.lastFullStart))?.getTime() ?? null);
      if (next !== null) this.schedule.set(entry.state.id, next);
    }
    this.logger.info('evaluation.recovered', {
      groups: this.catalog.evaluated().length,
      queued: this.queue.size,
      scheduled: this.schedule.size,
    });
  }

  /**
   * A run that started and never ended was cut short by the worker stopping (this
   * worker is the only one running refreshes, see the TODO above): it is recorded as
   * failed so its snapshot does not show `running` for good, and run again if the
   * group is still evaluated.
   */
  private async closeInterruptedRuns(history: ReadonlyMap<number, GroupHistory>): Promise<void> {
    for (const [groupId, past] of history) {
      if (past.interrupted === null) continue;
      this.logger.warn('refresh.interrupted', {
        group_definition_id: groupId,
        snapshot_id: past.interrupted.snapshotId,
      });
      await this.log.append(
        groupId,
        [
          {
            type: 'RefreshFailed',
            data: {
              group_definition_id: groupId,
              snapshot_id: past.interrupted.snapshotId,
              trigger: past.interrupted.trigger,
              error: 'Interrupted: the worker stopped during the run.',
              failed_at: this.clock().toISOString(),
            },
          },
        ],
        { correlation_id: randomUUID(), causation_id: null, actor: 'system:recovery' },
      );
    }
  }

  private async ruleDefinition(id: number): Promise<RuleDefinitionState | null> {
    const read = await this.store.readStream(ruleDefinitionStream(id));

    return (read.events as unknown as RuleDefinitionEvent[]).reduce<RuleDefinitionState | null>(
      evolveRuleDefinition,
      null,
    );
  }
}

interface GroupHistory {
  readonly lastFullStart: number | null;
  readonly lastDefinitionVersion: number | null;
  readonly requestedAfterLastRun: boolean;
  /** A full run that started and has neither a snapshot nor a failure. */
  readonly interrupted: { snapshotId: string; trigger: EvaluationTrigger } | null;
}

const EMPTY_HISTORY: GroupHistory = {
  lastFullStart: null,
  lastDefinitionVersion: null,
  requestedAfterLastRun: false,
  interrupted: null,
};

function summarise(events: readonly EvaluationEvent[]): GroupHistory {
  let lastFullStart: number | null = null;
  let lastDefinitionVersion: number | null = null;
  let requested = false;
  let open: GroupHistory['interrupted'] = null;
  for (const event of events) {
    switch (event.type) {
      case 'RefreshRequested':
        requested = true;
        break;
      case 'RefreshStarted':
        lastFullStart = Date.parse(event.data.started_at);
        requested = false;
        open = { snapshotId: event.data.snapshot_id, trigger: event.data.trigger };
        break;
      case 'SnapshotTaken':
        if (event.data.trigger !== 'profile_change' && event.data.trigger !== 'time') {
          lastDefinitionVersion = event.data.definition_version;
        }
        if (open?.snapshotId === event.data.snapshot_id) open = null;
        break;
      case 'RefreshFailed':
        if (open?.snapshotId === event.data.snapshot_id) open = null;
        break;
      case 'RefreshScheduled':
        break;
      default: {
        const unreachable: never = event;
        throw new Error(`Unhandled event ${(unreachable as { type: string }).type}`);
      }
    }
  }

  return {
    lastFullStart,
    lastDefinitionVersion,
    requestedAfterLastRun: requested,
    interrupted: open,
  };
}

function scheduleChanged(before: GroupDefinitionState, after: GroupDefinitionState): boolean {
  const a = before.attributes;
  const b = after.attributes;

  return (
    a.refresh_period !== b.refresh_period ||
    a.refresh_period_type !== b.refresh_period_type ||
    a.refresh_absolute_expiry !== b.refresh_absolute_expiry
  );
}

function metadataOf(event: { id: string; correlation_id: string }): EventMetadata {
  return { correlation_id: event.correlation_id, causation_id: event.id, actor: 'system:rules' };
}
