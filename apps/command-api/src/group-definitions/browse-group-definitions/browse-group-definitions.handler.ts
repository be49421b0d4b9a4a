import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page, ReadModelQueries } from '@profile-groups/read-models';

import {
  type GroupDefinitionResource,
  resourceFromView,
} from '../shared/group-definition.resource';
import { BrowseGroupDefinitionsQuery } from './browse-group-definitions.query';

@QueryHandler(BrowseGroupDefinitionsQuery)
export class BrowseGroupDefinitionsHandler implements IQueryHandler<BrowseGroupDefinitionsQuery> {
  constructor(private readonly queries: ReadModelQueries) {}

  async execute(query: BrowseGroupDefinitionsQuery): Promise<Page<GroupDefinitionResource>> {
    const page = await this.queries.browseDefinitions(query.filters, query.page);

    return { ...page, items: page.items.map(resourceFromView) };
  }
}
