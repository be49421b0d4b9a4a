import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { groupDefinitionStream } from '@profile-groups/contracts';
import { EventStore } from '@profile-groups/event-store';
import { type Page } from '@profile-groups/read-models';

import { groupNotFound } from '../../group-definitions/shared/group-targets';
import { parseGroupReference } from '../../group-definitions/shared/group-reference';
import { HandleRegistry } from '../../infrastructure/handle-registry';
import { GROUP_HANDLES } from '../../infrastructure/tokens';
import { type HistoryEventResource, pageOfSlice, sliceOf } from '../shared/history-event.resource';
import { GroupHistoryQuery } from './group-history.query';

/**
 * One page of a group's history from the event store, the audit log itself: its
 * definition and rules, its evaluation runs and every membership of it, in the order
 * the relay published them. A page reads about as much as it holds, however long the
 * history. A deleted group keeps its history (by id: its handle is released on deletion).
 */
@QueryHandler(GroupHistoryQuery)
export class GroupHistoryHandler implements IQueryHandler<GroupHistoryQuery> {
  constructor(
    private readonly eventStore: EventStore,
    @Inject(GROUP_HANDLES) private readonly handles: HandleRegistry,
  ) {}

  async execute(query: GroupHistoryQuery): Promise<Page<HistoryEventResource>> {
    const reference = parseGroupReference(query.group);
    if (reference === null) throw groupNotFound();
    const id =
      reference.kind === 'id'
        ? reference.id
        : (await this.handles.find(reference.handle))?.owner_id;
    if (id === undefined) throw groupNotFound();
    const { offset, limit } = sliceOf(query.page);
    const slice = await this.eventStore.readGroupHistory(id, offset, limit);
    // Nothing published yet (the relay indexes as it publishes) is an empty history of a
    // group that exists, not a missing group.
    if (
      slice.total === 0 &&
      (await this.eventStore.readStream(groupDefinitionStream(id))).version === 0
    ) {
      throw groupNotFound();
    }

    return pageOfSlice(slice, query.page);
  }
}
