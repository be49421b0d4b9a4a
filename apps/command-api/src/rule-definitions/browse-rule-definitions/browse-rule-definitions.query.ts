import { Query } from '@nestjs/cqrs';
import { type Page, type PageRequest } from '@profile-groups/read-models';

import { type RuleDefinitionResource } from '../shared/rule-definition.resource';

export class BrowseRuleDefinitionsQuery extends Query<Page<RuleDefinitionResource>> {
  constructor(readonly page: PageRequest) {
    super();
  }
}
