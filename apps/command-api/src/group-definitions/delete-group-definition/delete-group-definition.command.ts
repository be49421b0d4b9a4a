import { Command } from '@nestjs/cqrs';
import { type EventMetadata } from '@profile-groups/contracts';

import { type GroupDefinitionResource } from '../shared/group-definition.resource';

export class DeleteGroupDefinitionCommand extends Command<GroupDefinitionResource> {
  constructor(
    readonly group: string,
    readonly expectedVersion: number | undefined,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
