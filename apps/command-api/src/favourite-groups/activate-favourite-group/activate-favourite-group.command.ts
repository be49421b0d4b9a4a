import { Command } from '@nestjs/cqrs';
import { type EventMetadata } from '@profile-groups/contracts';

import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';

export interface ActivationResult {
  readonly group: GroupDefinitionResource;
  /** False when the profile already had its instance of the definition (answered 200). */
  readonly created: boolean;
}

export class ActivateFavouriteGroupCommand extends Command<ActivationResult> {
  constructor(
    readonly ownerProfileId: string,
    /** The favourite definition, as `{group}` would name it. */
    readonly definition: string,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
