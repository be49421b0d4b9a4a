import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@profile-groups/event-store';
import { type Page } from '@profile-groups/read-models';

import { type HistoryEventResource, pageOfHistory } from '../shared/history-event.resource';
import { ProfileHistoryQuery } from './profile-history.query';

/**
 * Every membership event of one profile, in any group, in the order recorded. A
 * profile that was never in a group has an empty history, not a 404: profiles are
 * not this service's to know.
 * TODO: reads and sorts the profile's whole membership history for every page (one
 * equality query, so cheap while a profile is in few groups); a profile in thousands
 * of groups would want a paged index like the group history's.
 */
@QueryHandler(ProfileHistoryQuery)
export class ProfileHistoryHandler implements IQueryHandler<ProfileHistoryQuery> {
  constructor(private readonly eventStore: EventStore) {}

  async execute(query: ProfileHistoryQuery): Promise<Page<HistoryEventResource>> {
    const events = await this.eventStore.readHistory(['group-member'], {
      profile_id: query.profileId,
    });

    return pageOfHistory(events, query.page);
  }
}
