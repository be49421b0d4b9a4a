import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ruleDefinitionStream } from '@profile-groups/contracts';
import {
  decideRuleDefinition,
  evolveRuleDefinition,
  requireLiveRuleDefinition,
  type RuleDefinitionState,
} from '@profile-groups/domain';
import { ConcurrencyError, EventStore, EventTooLargeError } from '@profile-groups/event-store';

import { Clock } from '../../infrastructure/clock';
import { RuleDefinitionHandleClaims } from '../shared/rule-definition-handle-claims';
import {
  ruleDefinitionFromState,
  type RuleDefinitionResource,
} from '../shared/rule-definition.resource';
import { RULE_DEFINITION_SEQUENCE } from '../shared/rule-definition.routes';
import { CreateRuleDefinitionCommand } from './create-rule-definition.command';

@CommandHandler(CreateRuleDefinitionCommand)
export class CreateRuleDefinitionHandler implements ICommandHandler<CreateRuleDefinitionCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly handles: RuleDefinitionHandleClaims,
    private readonly clock: Clock,
  ) {}

  async execute(command: CreateRuleDefinitionCommand): Promise<RuleDefinitionResource> {
    const id = await this.eventStore.nextSequence(RULE_DEFINITION_SEQUENCE);
    const events = decideRuleDefinition(null, {
      kind: 'CreateRuleDefinition',
      id,
      attributes: command.attributes,
      now: this.clock.now(),
    });
    const { handle } = command.attributes;
    await this.handles.claim(handle, id);
    try {
      await this.eventStore.append(ruleDefinitionStream(id), 0, events, command.metadata);
    } catch (error) {
      // Only a conflict or a refused size proves nothing was stored; after any other
      // failure the claim stays, and goes stale if the rule definition never came to exist.
      if (error instanceof ConcurrencyError || error instanceof EventTooLargeError) {
        await this.handles.release(handle, id);
      }
      throw error;
    }
    const state = events.reduce<RuleDefinitionState | null>(evolveRuleDefinition, null);

    return ruleDefinitionFromState(requireLiveRuleDefinition(state));
  }
}
