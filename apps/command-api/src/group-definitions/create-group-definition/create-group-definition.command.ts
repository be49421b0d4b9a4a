import { Command } from '@nestjs/cqrs';
import {
  type EventMetadata,
  type GroupDefinitionAttributes,
  type GroupDefinitionFlags,
} from '@profile-groups/contracts';

import { RequestValidationError } from '../../http/errors/api-errors';
import { handleFromName } from '../shared/group-reference';
import { type GroupDefinitionResource } from '../shared/group-definition.resource';
import { type CreateGroupDefinitionRequest } from './create-group-definition.request.dto';

export class CreateGroupDefinitionCommand extends Command<GroupDefinitionResource> {
  constructor(
    readonly attributes: GroupDefinitionAttributes,
    readonly flags: GroupDefinitionFlags,
    readonly metadata: EventMetadata,
  ) {
    super();
  }

  /** Applies the API's defaults: nullable fields null, a handle derived from the name. */
  static fromRequest(
    request: CreateGroupDefinitionRequest,
    metadata: EventMetadata,
  ): CreateGroupDefinitionCommand {
    const handle = request.handle ?? handleFromName(request.name);
    if (handle === null) {
      throw new RequestValidationError({
        handle: ['The handle field is required when the name has no letters or digits.'],
      });
    }
    const query = request.query ?? null;
    const attributes: GroupDefinitionAttributes = {
      name: request.name,
      handle,
      type: request.type,
      source_type: request.source_type ?? null,
      source_id: request.source_id ?? null,
      query,
      query_type: request.query_type ?? (query !== null ? 'jsonlogic' : null),
      arguments: request.arguments ?? null,
      period: request.period ?? null,
      period_type: request.period_type ?? null,
      absolute_expiry: request.absolute_expiry ?? null,
      refresh_period: request.refresh_period ?? null,
      refresh_period_type: request.refresh_period_type ?? null,
      refresh_absolute_expiry: request.refresh_absolute_expiry ?? null,
      short_description: request.short_description ?? null,
      description: request.description ?? null,
      owner_profile_id: request.owner_profile_id ?? null,
      meta: request.meta ?? null,
    };
    const flags: GroupDefinitionFlags = {
      is_published: request.is_published ?? false,
      is_active: request.is_active ?? true,
      is_archived: request.is_archived ?? false,
    };

    return new CreateGroupDefinitionCommand(attributes, flags, metadata);
  }
}
