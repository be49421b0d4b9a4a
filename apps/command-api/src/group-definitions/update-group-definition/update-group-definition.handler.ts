import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideGroupDefinition, requireLive } from '@profile-groups/domain';
import { EventStore } from '@profile-groups/event-store';
import { ReadModelQueries } from '@profile-groups/read-models';

import { Clock } from '../../infrastructure/clock';
import { checkExpectedVersion, ConcurrencyPolicy } from '../shared/concurrency';
import { foldGroupDefinition } from '../shared/group-definition-streams';
import {
  type GroupDefinitionResource,
  resourceFromState,
} from '../shared/group-definition.resource';
import { GroupTargets } from '../shared/group-targets';
import { GroupHandleClaims } from '../shared/handle-claims';
import { RuleDefinitionStreams } from '../shared/rule-definition-streams';
import { UpdateGroupDefinitionCommand } from './update-group-definition.command';

@CommandHandler(UpdateGroupDefinitionCommand)
export class UpdateGroupDefinitionHandler implements ICommandHandler<UpdateGroupDefinitionCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly targets: GroupTargets,
    private readonly handles: GroupHandleClaims,
    private readonly concurrency: ConcurrencyPolicy,
    private readonly queries: ReadModelQueries,
    private readonly templates: RuleDefinitionStreams,
    private readonly clock: Clock,
  ) {}

  execute(command: UpdateGroupDefinitionCommand): Promise<GroupDefinitionResource> {
    return this.concurrency.run(command.expectedVersion, () => this.attempt(command));
  }

  private async attempt(command: UpdateGroupDefinitionCommand): Promise<GroupDefinitionResource> {
    const group = await this.targets.load(command.group);
    checkExpectedVersion(command.expectedVersion, group.version);
    // New default arguments re-resolve the group's rules against their templates.
    const templates =
      command.changes.arguments === undefined
        ? undefined
        : await this.templates.templates(
            group.state.rules.map((rule) => rule.attributes.group_rule_definition_id),
          );
    const events = decideGroupDefinition(group.state, {
      kind: 'UpdateGroupDefinition',
      changes: command.changes,
      flags: command.flags,
      templates,
      now: this.clock.now(),
    });
    const view = await this.queries.definitionById(group.id);
    if (events.length === 0) return resourceFromState(group.state, group.version, view);

    const previousHandle = group.state.attributes.handle;
    const newHandle = command.changes.handle;
    const renamed = newHandle !== undefined && newHandle !== previousHandle;
    // Claimed before the rename is stored; a claim left by a failed attempt goes stale.
    if (renamed) await this.handles.claim(newHandle, group.id);
    await this.eventStore.append(group.stream, group.version, events, command.metadata);
    if (renamed) await this.handles.release(previousHandle, group.id);

    const state = requireLive(foldGroupDefinition(group.state, events));

    return resourceFromState(state, group.version + events.length, view);
  }
}
