import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page, ReadModelQueries } from '@profile-groups/read-models';

import { RequestValidationError } from '../../http/errors/api-errors';
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
    if (query.asOf !== null && query.includeRemoved) {
      throw new RequestValidationError({
        as_of: ['as_of lists the memberships in force at that instant; drop include_removed.'],
      });
    }
    const page =
      query.asOf === null
        ? await this.queries.members(group.id, { includeRemoved: query.includeRemoved }, query.page)
        : await this.queries.membersAsOf(group.id, query.asOf, query.page);

    return { ...page, items: page.items.map(profileFromView) };
  }
}
