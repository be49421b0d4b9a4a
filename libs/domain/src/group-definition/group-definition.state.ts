import {
  type GroupDefinitionAttributes,
  type GroupDefinitionEvent,
  type GroupDefinitionFlags,
} from '@profile-groups/contracts';

export interface GroupDefinitionState {
  readonly id: number;
  readonly attributes: GroupDefinitionAttributes;
  readonly flags: GroupDefinitionFlags;
  readonly created_at: string;
  readonly updated_at: string;
  readonly deleted: boolean;
}

/** Folds one event into the state; a pure function used by deciders and projections alike. */
export function evolveGroupDefinition(
  state: GroupDefinitionState | null,
  event: GroupDefinitionEvent,
): GroupDefinitionState | null {
  if (event.type === 'GroupDefinitionCreated') {
    return {
      id: event.data.group_definition_id,
      attributes: event.data.definition,
      flags: event.data.flags,
      created_at: event.data.created_at,
      updated_at: event.data.created_at,
      deleted: false,
    };
  }
  if (state === null) {
    return null;
  }
  switch (event.type) {
    case 'GroupDefinitionUpdated':
      return {
        ...state,
        attributes: { ...state.attributes, ...event.data.changes },
        updated_at: event.data.updated_at,
      };
    case 'GroupDefinitionPublished':
    case 'GroupDefinitionUnpublished':
    case 'GroupDefinitionActivated':
    case 'GroupDefinitionDeactivated':
    case 'GroupDefinitionArchived':
    case 'GroupDefinitionUnarchived':
      return {
        ...state,
        flags: { ...state.flags, ...LIFECYCLE_EFFECT[event.type] },
        updated_at: event.data.updated_at,
      };
    case 'GroupDefinitionDeleted':
      return { ...state, deleted: true, updated_at: event.data.deleted_at };
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled event ${(unreachable as { type: string }).type}`);
    }
  }
}

export const LIFECYCLE_EFFECT = {
  GroupDefinitionPublished: { is_published: true },
  GroupDefinitionUnpublished: { is_published: false },
  GroupDefinitionActivated: { is_active: true },
  GroupDefinitionDeactivated: { is_active: false },
  GroupDefinitionArchived: { is_archived: true },
  GroupDefinitionUnarchived: { is_archived: false },
} as const satisfies Record<string, Partial<GroupDefinitionFlags>>;
