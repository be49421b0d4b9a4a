import { type GroupDefinitionEvent, groupDefinitionStream } from '@profile-groups/contracts';
import {
  evolveGroupDefinition,
  GroupEvaluator,
  type GroupDefinitionState,
} from '@profile-groups/domain';
import { type EventStore, type StreamRead } from '@profile-groups/event-store';
import { type Logger } from '@profile-groups/observability';

/** A live dynamic group with its rules compiled, or the reason they could not be. */
export interface CatalogEntry {
  readonly state: GroupDefinitionState;
  readonly evaluator: GroupEvaluator | null;
  readonly compileError: string | null;
}

/**
 * Every dynamic group the worker evaluates, folded from the event store and compiled
 * once per version. Reloaded per group when one of its events arrives, and in full
 * at start-up and periodically: with several worker instances each sees only its
 * share of the definition topic, and the periodic reload bounds how stale the others
 * can be.
 */
export class GroupCatalog {
  private entries = new Map<number, CatalogEntry>();

  constructor(
    private readonly store: EventStore,
    private readonly logger: Logger,
  ) {}

  get(groupId: number): CatalogEntry | undefined {
    return this.entries.get(groupId);
  }

  /** Groups whose rules run now: dynamic, active, not archived, not deleted. */
  evaluated(): CatalogEntry[] {
    return [...this.entries.values()].filter((entry) => isEvaluated(entry.state));
  }

  all(): CatalogEntry[] {
    return [...this.entries.values()];
  }

  usingRuleDefinition(ruleDefinitionId: number): CatalogEntry[] {
    return this.all().filter((entry) =>
      entry.state.rules.some(
        (rule) => rule.attributes.group_rule_definition_id === ruleDefinitionId,
      ),
    );
  }

  async loadAll(): Promise<void> {
    const entries = new Map<number, CatalogEntry>();
    for await (const read of this.store.readAllStreams('group-definition')) {
      const entry = this.entryFrom(read, entries);
      if (entry !== null) entries.set(entry.state.id, entry);
    }
    this.entries = entries;
  }

  /** Re-reads one group; returns its entry (null once deleted or not dynamic). */
  async reload(groupId: number): Promise<CatalogEntry | null> {
    const read = await this.store.readStream(groupDefinitionStream(groupId));
    const entry = this.entryFrom(read, this.entries);
    if (entry === null) this.entries.delete(groupId);
    else this.entries.set(groupId, entry);

    return entry;
  }

  private entryFrom(read: StreamRead, known: Map<number, CatalogEntry>): CatalogEntry | null {
    const state = (
      read.events as unknown as GroupDefinitionEvent[]
    ).reduce<GroupDefinitionState | null>(evolveGroupDefinition, null);
    if (state === null || state.deleted || state.attributes.type !== 'dynamic') return null;
    const previous = known.get(state.id);
    if (previous !== undefined && previous.state.version === state.version) return previous;
    try {
      return { state, evaluator: new GroupEvaluator(state), compileError: null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error('group.rules_invalid', { group_definition_id: state.id, error: message });

      return { state, evaluator: null, compileError: message };
    }
  }
}

export function isEvaluated(state: GroupDefinitionState): boolean {
  return (
    state.attributes.type === 'dynamic' &&
    !state.deleted &&
    state.flags.is_active &&
    !state.flags.is_archived
  );
}
