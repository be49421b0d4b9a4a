import { Inject, Injectable } from '@nestjs/common';
import { DomainError, type GroupDefinitionState, requireLive } from '@profile-groups/domain';

import { HandleRegistry } from '../../infrastructure/handle-registry';
import { GROUP_HANDLES } from '../../infrastructure/tokens';
import { GroupDefinitionStreams, type LoadedGroupDefinition } from './group-definition-streams';
import { parseGroupReference } from './group-reference';

export interface LiveGroupDefinition extends LoadedGroupDefinition {
  readonly state: GroupDefinitionState;
}

export function groupNotFound(): DomainError {
  return new DomainError('not_found', 'Group definition not found.');
}

/**
 * Finds the group a command's `{group}` segment names, from the write side only: an
 * id is its stream, a handle is looked up in the handle claims. The read model may
 * lag and is never consulted here.
 */
@Injectable()
export class GroupTargets {
  constructor(
    private readonly streams: GroupDefinitionStreams,
    @Inject(GROUP_HANDLES) private readonly handles: HandleRegistry,
  ) {}

  async load(segment: string): Promise<LiveGroupDefinition> {
    const reference = parseGroupReference(segment);
    if (reference === null) throw groupNotFound();
    const id =
      reference.kind === 'id'
        ? reference.id
        : (await this.handles.find(reference.handle))?.owner_id;
    if (id === undefined) throw groupNotFound();

    const loaded = await this.streams.load(id);
    const state = requireLive(loaded.state);
    // A claim outlives a rename until it is released; the stream has the last word.
    if (reference.kind === 'handle' && state.attributes.handle !== reference.handle) {
      throw groupNotFound();
    }

    return { ...loaded, state };
  }
}
