import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page, ReadModelQueries } from '@profile-groups/read-models';

import { GroupDefinitionViews } from '../../group-definitions/shared/group-definition-views';
import { type GroupProfileResource, profileFromView } from '../shared/group-profile.resource';
import { ListGroupMembersQuery } from './list-group-members.query';

@QueryHandler(ListGroupMembersQuery)
export class ListGroupMembersHandler implements IQueryHandler<ListGroupMembersQuery> {
  constructor(
    private readonly views: GroupDefinitionViews,
    private readonly queries: ReadModelQueries,
  ) {}

  async execute(query: ListGroupMembersQuery): Promise<Page<GroupProfileResource>> {
    const group = await this.views.find(query.group);
    const page = await this.queries.members(
      group.id,
      { includeRemoved: query.includeRemoved },
      query.page,
    );

    return { ...page, items: page.items.map(profileFromView) };
  }
}
