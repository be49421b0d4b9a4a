import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';

import { GroupDefinitionViews } from '../shared/group-definition-views';
import {
  type GroupDefinitionResource,
  resourceFromView,
} from '../shared/group-definition.resource';
import { GetGroupDefinitionQuery } from './get-group-definition.query';

@QueryHandler(GetGroupDefinitionQuery)
export class GetGroupDefinitionHandler implements IQueryHandler<GetGroupDefinitionQuery> {
  constructor(private readonly views: GroupDefinitionViews) {}

  async execute(query: GetGroupDefinitionQuery): Promise<GroupDefinitionResource> {
    return resourceFromView(await this.views.find(query.group, query.minVersion));
  }
}
