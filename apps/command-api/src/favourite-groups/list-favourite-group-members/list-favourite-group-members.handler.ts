import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page, ReadModelQueries } from '@profile-groups/read-models';

import { type GroupProfileResource } from '../../group-members/shared/group-profile.resource';
import { memberPage } from '../../group-members/shared/member-page';
import { FavouriteInstanceViews } from '../shared/favourite-instance-views';
import { ListFavouriteGroupMembersQuery } from './list-favourite-group-members.query';

@QueryHandler(ListFavouriteGroupMembersQuery)
export class ListFavouriteGroupMembersHandler
  implements IQueryHandler<ListFavouriteGroupMembersQuery>
{
  constructor(
    private readonly views: FavouriteInstanceViews,
    private readonly queries: ReadModelQueries,
  ) {}

  async execute(query: ListFavouriteGroupMembersQuery): Promise<Page<GroupProfileResource>> {
    const instance = await this.views.find(query.ownerProfileId, query.group);

    return memberPage(this.queries, instance.id, query, query.page);
  }
}
