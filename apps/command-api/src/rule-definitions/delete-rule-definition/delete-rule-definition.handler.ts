import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  decideRuleDefinition,
  evolveRuleDefinition,
  type RuleDefinitionState,
} from '@profile-groups/domain';
import { EventStore } from '@profile-groups/event-store';

import {
  checkExpectedVersion,
  ConcurrencyPolicy,
} from '../../group-definitions/shared/concurrency';
import { Clock } from '../../infrastructure/clock';
import { RuleDefinitionHandleClaims } from '../shared/rule-definition-handle-claims';
import { RuleDefinitionTargets } from '../shared/rule-definition-targets';
import { RuleDefinitionUsage } from '../shared/rule-definition-usage';
import {
  ruleDefinitionFromState,
  type RuleDefinitionResource,
} from '../shared/rule-definition.resource';
import { DeleteRuleDefinitionCommand } from './delete-rule-definition.command';

/** Deletes a rule definition no group rule uses (409 rule_definition_in_use otherwise). */
@CommandHandler(DeleteRuleDefinitionCommand)
export class DeleteRuleDefinitionHandler implements ICommandHandler<DeleteRuleDefinitionCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly targets: RuleDefinitionTargets,
    private readonly usage: RuleDefinitionUsage,
    private readonly handles: RuleDefinitionHandleClaims,
    private readonly concurrency: ConcurrencyPolicy,
    private readonly clock: Clock,
  ) {}

  execute(command: DeleteRuleDefinitionCommand): Promise<RuleDefinitionResource> {
    return this.concurrency.run(command.expectedVersion, () => this.attempt(command));
  }

  private async attempt(command: DeleteRuleDefinitionCommand): Promise<RuleDefinitionResource> {
    const target = await this.targets.load(command.ruleDefinition);
    checkExpectedVersion(command.expectedVersion, target.version);
    const uses = await this.usage.uses(target.id);
    const events = decideRuleDefinition(target.state, {
      kind: 'DeleteRuleDefinition',
      usedBy: uses.flatMap(({ group, rules }) => rules.map((rule) => `${group.id}:${rule.id}`)),
      now: this.clock.now(),
    });
    await this.eventStore.append(target.stream, target.version, events, command.metadata);
    await this.handles.release(target.state.attributes.handle, target.id);
    const state = events.reduce<RuleDefinitionState | null>(evolveRuleDefinition, target.state);

    return ruleDefinitionFromState(state ?? target.state);
  }
}
