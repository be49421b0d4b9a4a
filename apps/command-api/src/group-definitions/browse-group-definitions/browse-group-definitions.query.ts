import { Query } from '@nestjs/cqrs';
import { type DefinitionFilters, type Page, type PageRequest } from '@profile-groups/read-models';

import { type GroupDefinitionResource } from '../shared/group-definition.resource';

export class BrowseGroupDefinitionsQuery extends Query<Page<GroupDefinitionResource>> {
  constructor(
    readonly filters: DefinitionFilters,
    readonly page: PageRequest,
  ) {
    super();
  }
}
