import { type RuleDefinitionAttributes, type RuleDefinitionEvent } from '@profile-groups/contracts';

export interface RuleDefinitionState {
  readonly id: number;
  /** Stream version of the last event folded in; group rules record it. */
  readonly version: number;
  readonly attributes: RuleDefinitionAttributes;
  readonly created_at: string;
  readonly updated_at: string;
  readonly deleted: boolean;
}

export function evolveRuleDefinition(
  state: RuleDefinitionState | null,
  event: RuleDefinitionEvent,
): RuleDefinitionState | null {
  switch (event.type) {
    case 'RuleDefinitionCreated':
      return {
        id: event.data.rule_definition_id,
        version: 1,
        attributes: event.data.definition,
        created_at: event.data.created_at,
        updated_at: event.data.created_at,
        deleted: false,
      };
    case 'RuleDefinitionUpdated':
      return state === null
        ? null
        : {
            ...state,
            version: state.version + 1,
            attributes: { ...state.attributes, ...event.data.changes },
            updated_at: event.data.updated_at,
          };
    case 'RuleDefinitionDeleted':
      return state === null
        ? null
        : {
            ...state,
            version: state.version + 1,
            deleted: true,
            updated_at: event.data.deleted_at,
          };
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled event ${(unreachable as { type: string }).type}`);
    }
  }
}
