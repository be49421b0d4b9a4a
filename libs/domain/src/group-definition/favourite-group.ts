import { type GroupDefinitionEvent } from '@profile-groups/contracts';

import { DomainError } from '../shared/domain-error';
import { type GroupDefinitionState } from './group-definition.state';

/** Longest handle a group definition may have (the published schemas say so too). */
export const MAX_GROUP_HANDLE_LENGTH = 255;

/**
 * A profile activates a favourite definition: its own instance of it, a new group
 * definition with a fresh id whose members follow the owner's connections.
 */
export interface ActivateFavouriteGroup {
  readonly kind: 'ActivateFavouriteGroup';
  /** Id of the new instance, from the group definitions' id sequence. */
  readonly id: number;
  /** The favourite definition the profile asked for; null when none goes by that name. */
  readonly favourite: GroupDefinitionState | null;
  readonly ownerProfileId: string;
  readonly now: Date;
}

/** The owner of a favourite instance; null for every other group. */
export function instanceOwner(group: GroupDefinitionState | null): string | null {
  return group !== null && group.attributes.type === 'favourite'
    ? group.attributes.owner_profile_id
    : null;
}

/** `<definition handle>@<owner>`: one instance per definition and owner reads as such. */
export function instanceHandle(definitionHandle: string, ownerProfileId: string): string {
  return `${definitionHandle}@${ownerProfileId}`;
}

/**
 * The instance's first event. Its attributes are the favourite definition's, with the
 * owner, `source_type` (the connection type its members follow) and `source_id` (the
 * definition's id) fixed for good.
 */
export function activateFavouriteGroup(
  state: GroupDefinitionState | null,
  command: ActivateFavouriteGroup,
): GroupDefinitionEvent[] {
  if (state !== null) {
    throw DomainError.validation({ id: [`Group definition ${command.id} already exists.`] });
  }
  const favourite = activatable(command.favourite);
  const handle = instanceHandle(favourite.attributes.handle, command.ownerProfileId);
  if (handle.length > MAX_GROUP_HANDLE_LENGTH) {
    throw DomainError.validation({
      group_definition_id: [
        `The instance handle ${handle.slice(0, 40)}... would be longer than ` +
          `${MAX_GROUP_HANDLE_LENGTH} characters; shorten the definition's handle.`,
      ],
    });
  }

  return [
    {
      type: 'FavouriteGroupActivated',
      data: {
        group_definition_id: command.id,
        favourite_definition_id: favourite.id,
        owner_profile_id: command.ownerProfileId,
        definition: {
          ...favourite.attributes,
          handle,
          type: 'favourite',
          // A definition stored with a query before favourites refused one: nothing
          // would apply it to the instance's members, so the instance has none.
          query: null,
          query_type: null,
          source_id: String(favourite.id),
          owner_profile_id: command.ownerProfileId,
        },
        flags: { is_published: favourite.flags.is_published, is_active: true, is_archived: false },
        activated_at: command.now.toISOString(),
      },
    },
  ];
}

/** A favourite definition a profile may activate: live, active, not archived, not owned. */
function activatable(favourite: GroupDefinitionState | null): GroupDefinitionState {
  const refuse = (message: string) => DomainError.validation({ group_definition_id: [message] });
  if (favourite === null || favourite.deleted) {
    throw refuse('The group_definition_id names no group definition.');
  }
  if (favourite.attributes.type !== 'favourite') {
    throw refuse(`Group definition ${favourite.id} is not a favourite definition.`);
  }
  if (favourite.attributes.owner_profile_id !== null) {
    throw refuse(`Group definition ${favourite.id} is a profile's instance, not a definition.`);
  }
  if (!favourite.flags.is_active) {
    throw refuse(`Favourite definition ${favourite.id} is not active.`);
  }
  if (favourite.flags.is_archived) {
    throw refuse(`Favourite definition ${favourite.id} is archived.`);
  }

  return favourite;
}
