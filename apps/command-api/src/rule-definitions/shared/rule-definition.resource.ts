import { type RuleDefinitionAttributes } from '@profile-groups/contracts';
import { type RuleDefinitionState } from '@profile-groups/domain';
import { type RuleDefinitionView } from '@profile-groups/read-models';

/** A GroupRuleDefinition (API.md), plus its stream `version`. */
export interface RuleDefinitionResource extends RuleDefinitionAttributes {
  readonly id: number;
  readonly created_at: string;
  readonly updated_at: string;
  readonly version: number;
}

/** The state a write just produced, from the event store. */
export function ruleDefinitionFromState(state: RuleDefinitionState): RuleDefinitionResource {
  return present({
    id: state.id,
    ...state.attributes,
    created_at: state.created_at,
    updated_at: state.updated_at,
    version: state.version,
  });
}

export function ruleDefinitionFromView(view: RuleDefinitionView): RuleDefinitionResource {
  return present(view);
}

/** The fields in a stable order, without the storage-only ones. */
function present(fields: RuleDefinitionResource): RuleDefinitionResource {
  return {
    id: fields.id,
    handle: fields.handle,
    name: fields.name,
    description: fields.description,
    evaluator: fields.evaluator,
    rule: fields.rule,
    arguments: fields.arguments,
    meta: fields.meta,
    created_at: fields.created_at,
    updated_at: fields.updated_at,
    version: fields.version,
  };
}
