import { Command } from '@nestjs/cqrs';
import {
  type EventMetadata,
  type GroupDefinitionAttributes,
  type GroupDefinitionFlags,
} from '@profile-groups/contracts';

import { type GroupDefinitionResource } from '../shared/group-definition.resource';
import { type UpdateGroupDefinitionRequest } from './update-group-definition.request.dto';

const FLAGS = ['is_published', 'is_active', 'is_archived'] as const;

export class UpdateGroupDefinitionCommand extends Command<GroupDefinitionResource> {
  constructor(
    readonly group: string,
    readonly changes: Partial<GroupDefinitionAttributes>,
    readonly flags: Partial<GroupDefinitionFlags>,
    readonly expectedVersion: number | undefined,
    readonly metadata: EventMetadata,
  ) {
    super();
  }

  /** Keeps only the fields the request gave; a query given alone implies jsonlogic. */
  static fromRequest(
    group: string,
    request: UpdateGroupDefinitionRequest,
    expectedVersion: number | undefined,
    metadata: EventMetadata,
  ): UpdateGroupDefinitionCommand {
    const changes: Record<string, unknown> = {};
    const flags: Partial<GroupDefinitionFlags> = {};
    for (const [key, value] of Object.entries(request)) {
      if (value === undefined) continue;
      if ((FLAGS as readonly string[]).includes(key)) {
        flags[key as (typeof FLAGS)[number]] = value as boolean;
      } else {
        changes[key] = value;
      }
    }
    if (request.query !== undefined && request.query !== null && request.query_type === undefined) {
      changes.query_type = 'jsonlogic';
    }

    return new UpdateGroupDefinitionCommand(group, changes, flags, expectedVersion, metadata);
  }
}
