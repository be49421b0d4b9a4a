import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page, ReadModelQueries } from '@profile-groups/read-models';

import { GroupDefinitionViews } from '../../group-definitions/shared/group-definition-views';
import { type GroupProfileResource } from '../shared/group-profile.resource';
import { memberPage } from '../shared/member-page';
import { ListGroupMembersQuery } from './list-group-members.query';

@QueryHandler(ListGroupMembersQuery)
export class ListGroupMembersHandler implements IQueryHandler<ListGroupMembersQuery> {
  constructor(
    private readonly views: GroupDefinitionViews,
    private readonly queries: ReadModelQueries,
  ) {}

  async execute(query: ListGroupMembersQuery): Promise<Page<GroupProfileResource>> {
    const group = await this.views.find(query.group);

    return memberPage(this.queries, group.id, query, query.page);
  }
}
