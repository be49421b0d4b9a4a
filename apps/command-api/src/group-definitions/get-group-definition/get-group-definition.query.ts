import { Query } from '@nestjs/cqrs';

import { type GroupDefinitionResource } from '../shared/group-definition.resource';

export class GetGroupDefinitionQuery extends Query<GroupDefinitionResource> {
  constructor(
    readonly group: string,
    /** Wait (briefly) until the read model reflects at least this stream version. */
    readonly minVersion: number | undefined,
  ) {
    super();
  }
}
