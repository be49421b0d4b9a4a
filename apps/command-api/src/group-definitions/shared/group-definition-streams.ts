import { Injectable } from '@nestjs/common';
import { groupDefinitionStream, type GroupDefinitionEvent } from '@profile-groups/contracts';
import { evolveGroupDefinition, type GroupDefinitionState } from '@profile-groups/domain';
import { EventStore } from '@profile-groups/event-store';

/** A group definition as the event store has it: the folded state and the stream version. */
export interface LoadedGroupDefinition {
  readonly id: number;
  readonly stream: string;
  readonly state: GroupDefinitionState | null;
  readonly version: number;
}

/** Loads group definition streams and folds them; the write side's only view of a group. */
@Injectable()
export class GroupDefinitionStreams {
  constructor(private readonly eventStore: EventStore) {}

  async load(id: number): Promise<LoadedGroupDefinition> {
    const stream = groupDefinitionStream(id);
    const read = await this.eventStore.readStream(stream);
    const state = foldGroupDefinition(null, read.events as unknown as GroupDefinitionEvent[]);

    return { id, stream, state, version: read.version };
  }
}

export function foldGroupDefinition(
  state: GroupDefinitionState | null,
  events: readonly GroupDefinitionEvent[],
): GroupDefinitionState | null {
  return events.reduce(evolveGroupDefinition, state);
}
