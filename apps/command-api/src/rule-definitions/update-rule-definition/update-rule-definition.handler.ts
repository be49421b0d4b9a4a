import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  decideRuleDefinition,
  DomainError,
  evolveRuleDefinition,
  type FieldErrors,
  reresolve,
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
import { UpdateRuleDefinitionCommand } from './update-rule-definition.command';

/**
 * Edits a rule definition. When groups use it, each of their rules built from it must
 * still resolve with the new template, or nothing is stored; the evaluation worker
 * then re-resolves those rules (RuleChanged, cause rule_definition_changed).
 */
@CommandHandler(UpdateRuleDefinitionCommand)
export class UpdateRuleDefinitionHandler implements ICommandHandler<UpdateRuleDefinitionCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly targets: RuleDefinitionTargets,
    private readonly usage: RuleDefinitionUsage,
    private readonly handles: RuleDefinitionHandleClaims,
    private readonly concurrency: ConcurrencyPolicy,
    private readonly clock: Clock,
  ) {}

  execute(command: UpdateRuleDefinitionCommand): Promise<RuleDefinitionResource> {
    return this.concurrency.run(command.expectedVersion, () => this.attempt(command));
  }

  private async attempt(command: UpdateRuleDefinitionCommand): Promise<RuleDefinitionResource> {
    const target = await this.targets.load(command.ruleDefinition);
    checkExpectedVersion(command.expectedVersion, target.version);
    const now = this.clock.now();
    const events = decideRuleDefinition(target.state, {
      kind: 'UpdateRuleDefinition',
      changes: command.changes,
      now,
    });
    if (events.length === 0) return ruleDefinitionFromState(target.state);
    const next = events.reduce<RuleDefinitionState | null>(evolveRuleDefinition, target.state);
    if (next === null) throw new Error(`Rule definition ${target.id} vanished while updating`);
    await this.refuseIfRulesBreak(next, now);

    const previousHandle = target.state.attributes.handle;
    const newHandle = next.attributes.handle;
    const renamed = newHandle !== previousHandle;
    if (renamed) await this.handles.claim(newHandle, target.id);
    await this.eventStore.append(target.stream, target.version, events, command.metadata);
    if (renamed) await this.handles.release(previousHandle, target.id);

    return ruleDefinitionFromState(next);
  }

  /** 422 naming every group rule (`group_rules.<group>.<rule>`) that would not resolve. */
  private async refuseIfRulesBreak(next: RuleDefinitionState, now: Date): Promise<void> {
    const problems: FieldErrors = {};
    for (const { group } of await this.usage.uses(next.id)) {
      const { unresolved } = reresolve(
        group.state,
        group.state.attributes.arguments,
        next,
        'rule_definition_changed',
        now,
      );
      for (const [ruleId, messages] of unresolved) {
        problems[`group_rules.${group.id}.${ruleId}`] = messages;
      }
    }
    const broken = Object.keys(problems);
    if (broken.length === 0) return;
    const named = broken.map((path) => path.replace(/^group_rules\.(\d+)\.(\d+)$/, '$1:$2'));
    throw new DomainError(
      'validation_failed',
      `The change would leave group rules unresolved: ${named.join(', ')}.`,
      problems,
    );
  }
}
