import { Command } from '@nestjs/cqrs';
import { type EventMetadata } from '@profile-groups/contracts';

import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';

export class RefreshGroupCommand extends Command<GroupDefinitionResource> {
  constructor(
    readonly group: string,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
