import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  requireLiveRuleDefinition,
  type RuleDefinitionState,
} from '@profile-groups/domain';

import { parseGroupReference } from '../../group-definitions/shared/group-reference';
import {
  type LoadedRuleDefinition,
  RuleDefinitionStreams,
} from '../../group-definitions/shared/rule-definition-streams';
import { HandleRegistry } from '../../infrastructure/handle-registry';
import { RULE_DEFINITION_HANDLES } from '../../infrastructure/tokens';

export interface LiveRuleDefinition extends LoadedRuleDefinition {
  readonly state: RuleDefinitionState;
}

export function ruleDefinitionNotFound(): DomainError {
  return new DomainError('not_found', 'Rule definition not found.');
}

/**
 * Finds the rule definition a command's `{ruleDefinition}` segment names, from the
 * write side only: an id is its stream, a handle is looked up in its claims.
 */
@Injectable()
export class RuleDefinitionTargets {
  constructor(
    private readonly streams: RuleDefinitionStreams,
    @Inject(RULE_DEFINITION_HANDLES) private readonly handles: HandleRegistry,
  ) {}

  async load(segment: string): Promise<LiveRuleDefinition> {
    const reference = parseGroupReference(segment);
    if (reference === null) throw ruleDefinitionNotFound();
    const id =
      reference.kind === 'id'
        ? reference.id
        : (await this.handles.find(reference.handle))?.owner_id;
    if (id === undefined) throw ruleDefinitionNotFound();

    const loaded = await this.streams.load(id);
    const state = requireLiveRuleDefinition(loaded.state);
    // A claim outlives a rename until it is released; the stream has the last word.
    if (reference.kind === 'handle' && state.attributes.handle !== reference.handle) {
      throw ruleDefinitionNotFound();
    }

    return { ...loaded, state };
  }
}
