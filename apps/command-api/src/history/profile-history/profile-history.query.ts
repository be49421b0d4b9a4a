import { Query } from '@nestjs/cqrs';
import { type Page, type PageRequest } from '@profile-groups/read-models';

import { type HistoryEventResource } from '../shared/history-event.resource';

export class ProfileHistoryQuery extends Query<Page<HistoryEventResource>> {
  constructor(
    readonly profileId: string,
    readonly page: PageRequest,
  ) {
    super();
  }
}
