import { Query } from '@nestjs/cqrs';
import { type Page, type PageRequest } from '@profile-groups/read-models';

import { type HistoryEventResource } from '../shared/history-event.resource';

export class GroupHistoryQuery extends Query<Page<HistoryEventResource>> {
  constructor(
    readonly group: string,
    readonly page: PageRequest,
  ) {
    super();
  }
}
