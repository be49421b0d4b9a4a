import { Command } from '@nestjs/cqrs';
import { type EventMetadata, type JsonObject } from '@profile-groups/contracts';

import { type GroupProfileResource } from '../shared/group-profile.resource';
import { type AddGroupMembersRequest } from './add-group-members.request.dto';

export interface MembershipDetails {
  readonly addedByProfileId: string | null;
  readonly sourceType: string | null;
  readonly sourceId: string | null;
  readonly meta: JsonObject | null;
}

export interface AddGroupMembersResult {
  /** One row per distinct requested profile, in request order. */
  readonly profiles: GroupProfileResource[];
  /** Whether any membership was started (201) or all were current already (200). */
  readonly created: boolean;
}

export class AddGroupMembersCommand extends Command<AddGroupMembersResult> {
  constructor(
    readonly group: string,
    readonly profileIds: readonly string[],
    readonly details: MembershipDetails,
    readonly metadata: EventMetadata,
    /** Set when a profile adds to its own favourite group: only that group takes it. */
    readonly ownerProfileId?: string,
  ) {
    super();
  }

  static fromRequest(
    group: string,
    request: AddGroupMembersRequest,
    metadata: EventMetadata,
  ): AddGroupMembersCommand {
    const requested = request.profile_ids ?? (request.profile_id ? [request.profile_id] : []);

    return new AddGroupMembersCommand(
      group,
      [...new Set(requested)],
      {
        addedByProfileId: request.added_by_profile_id ?? null,
        sourceType: request.source_type ?? null,
        sourceId: request.source_id ?? null,
        meta: request.meta ?? null,
      },
      metadata,
    );
  }
}
