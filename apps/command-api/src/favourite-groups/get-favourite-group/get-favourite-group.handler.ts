import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';

import {
  type GroupDefinitionResource,
  resourceFromView,
} from '../../group-definitions/shared/group-definition.resource';
import { FavouriteInstanceViews } from '../shared/favourite-instance-views';
import { GetFavouriteGroupQuery } from './get-favourite-group.query';

@QueryHandler(GetFavouriteGroupQuery)
export class GetFavouriteGroupHandler implements IQueryHandler<GetFavouriteGroupQuery> {
  constructor(private readonly views: FavouriteInstanceViews) {}

  async execute(query: GetFavouriteGroupQuery): Promise<GroupDefinitionResource> {
    return resourceFromView(
      await this.views.find(query.ownerProfileId, query.group, query.minVersion),
    );
  }
}
