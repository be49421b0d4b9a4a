import { Injectable } from '@nestjs/common';
import { ruleDefinitionStream, type RuleDefinitionEvent } from '@profile-groups/contracts';
import { evolveRuleDefinition, type RuleDefinitionState } from '@profile-groups/domain';
import { EventStore } from '@profile-groups/event-store';

/** A rule definition as the event store has it. */
export interface LoadedRuleDefinition {
  readonly id: number;
  readonly stream: string;
  readonly state: RuleDefinitionState | null;
  readonly version: number;
}

/**
 * Loads rule definition streams: the write side's view of a rule definition, and of
 * the templates a group's rules are resolved from.
 */
@Injectable()
export class RuleDefinitionStreams {
  constructor(private readonly eventStore: EventStore) {}

  async load(id: number): Promise<LoadedRuleDefinition> {
    const stream = ruleDefinitionStream(id);
    const read = await this.eventStore.readStream(stream);
    const events = read.events as unknown as RuleDefinitionEvent[];

    return {
      id,
      stream,
      state: events.reduce<RuleDefinitionState | null>(evolveRuleDefinition, null),
      version: read.version,
    };
  }

  /** The template a rule names, or null when it names none or one that never existed. */
  async template(id: number | null | undefined): Promise<RuleDefinitionState | null> {
    return id === null || id === undefined ? null : (await this.load(id)).state;
  }

  /** The templates of the given ids that exist, by id. */
  async templates(ids: Iterable<number | null>): Promise<Map<number, RuleDefinitionState>> {
    const wanted = [...new Set(ids)].filter((id): id is number => id !== null);
    const loaded = await Promise.all(wanted.map((id) => this.load(id)));
    const found = new Map<number, RuleDefinitionState>();
    for (const { id, state } of loaded) if (state !== null) found.set(id, state);

    return found;
  }
}
