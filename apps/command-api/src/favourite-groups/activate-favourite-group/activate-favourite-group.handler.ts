import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type FavouriteGroupActivated, groupDefinitionStream } from '@profile-groups/contracts';
import { decideGroupDefinition, DomainError, requireLive } from '@profile-groups/domain';
import { ConcurrencyError, EventStore } from '@profile-groups/event-store';
import { ReadModelQueries } from '@profile-groups/read-models';

import { GROUP_DEFINITION_SEQUENCE } from '../../group-definitions/create-group-definition/create-group-definition.handler';
import { foldGroupDefinition } from '../../group-definitions/shared/group-definition-streams';
import { resourceFromState } from '../../group-definitions/shared/group-definition.resource';
import { type LiveGroupDefinition } from '../../group-definitions/shared/group-targets';
import { GroupHandleClaims } from '../../group-definitions/shared/handle-claims';
import { VersionConflictError } from '../../http/errors/api-errors';
import { Clock } from '../../infrastructure/clock';
import { FavouriteInstances } from '../shared/favourite-instances';
import { FavouriteInstanceClaims, instanceKey } from '../shared/instance-claims';
import {
  ActivateFavouriteGroupCommand,
  type ActivationResult,
} from './activate-favourite-group.command';

/** How often, and how long apart, an activation that lost a race looks for the winner's. */
const RACE_LOOKS = 20;
const RACE_PAUSE_MS = 50;

/**
 * A profile activates a favourite definition: a new group definition owned by the
 * profile, in the id sequence of all definitions. One instance per definition and
 * owner: the (definition, owner) claim makes it so, and activating again answers the
 * instance there is (200). The instance's handle `<definition handle>@<owner>` is
 * claimed like any handle.
 */
@CommandHandler(ActivateFavouriteGroupCommand)
export class ActivateFavouriteGroupHandler
  implements ICommandHandler<ActivateFavouriteGroupCommand>
{
  constructor(
    private readonly eventStore: EventStore,
    private readonly instances: FavouriteInstances,
    private readonly instanceClaims: FavouriteInstanceClaims,
    private readonly handles: GroupHandleClaims,
    private readonly queries: ReadModelQueries,
    private readonly clock: Clock,
  ) {}

  async execute(command: ActivateFavouriteGroupCommand): Promise<ActivationResult> {
    const favourite = await this.instances.definition(command.definition);
    const existing =
      favourite === null
        ? null
        : await this.instances.existing(favourite.id, command.ownerProfileId);
    if (existing !== null) return this.answer(existing, false);

    const id = await this.eventStore.nextSequence(GROUP_DEFINITION_SEQUENCE);
    const events = decideGroupDefinition(null, {
      kind: 'ActivateFavouriteGroup',
      id,
      favourite: favourite?.state ?? null,
      ownerProfileId: command.ownerProfileId,
      now: this.clock.now(),
    });
    const activated = events[0] as FavouriteGroupActivated;
    const key = instanceKey(activated.data.favourite_definition_id, command.ownerProfileId);
    try {
      await this.instanceClaims.claim(key, id);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'handle_taken')) throw error;

      return this.raced(activated.data.favourite_definition_id, command.ownerProfileId);
    }
    const { handle } = activated.data.definition;
    try {
      await this.claimHandle(handle, id, command);
    } catch (error) {
      await this.instanceClaims.release(key, id);
      throw error;
    }
    try {
      await this.eventStore.append(groupDefinitionStream(id), 0, events, command.metadata);
    } catch (error) {
      // Only a conflict proves nothing was stored; after any other failure the claims
      // stay, and go stale if the instance never came to exist.
      if (error instanceof ConcurrencyError) {
        await this.handles.release(handle, id);
        await this.instanceClaims.release(key, id);
      }
      throw error;
    }
    const state = requireLive(foldGroupDefinition(null, events));

    return { group: resourceFromState(state, events.length, null), created: true };
  }

  /**
   * `<definition handle>@<owner>` may still be held by the owner's instance of a deleted
   * definition of the same handle, which the worker has not deleted yet: it is deleted
   * here (as the worker would), so that its handle is free for this one.
   * TODO: a definition whose handle was changed keeps its instances' old handles, so a
   * new definition taking the old handle cannot be activated by those owners
   * (`handle_taken`); instance handles would need the definition's id to tell them apart.
   */
  private async claimHandle(
    handle: string,
    id: number,
    command: ActivateFavouriteGroupCommand,
  ): Promise<void> {
    try {
      await this.handles.claim(handle, id);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'handle_taken')) throw error;
      const orphan = await this.instances.orphanHolding(handle, command.ownerProfileId);
      if (orphan === null) throw error;
      await this.instances.deleteOrphan(orphan, command.metadata);
      await this.handles.claim(handle, id);
    }
  }

  /** Another activation of the same pair holds the claim: its instance is the answer. */
  private async raced(favouriteId: number, ownerProfileId: string): Promise<ActivationResult> {
    for (let look = 0; look < RACE_LOOKS; look++) {
      const winner = await this.instances.existing(favouriteId, ownerProfileId);
      if (winner !== null) return this.answer(winner, false);
      await new Promise((resolve) => setTimeout(resolve, RACE_PAUSE_MS));
    }
    // The other activation is still being stored (or died before it was): try again.
    throw new VersionConflictError(0);
  }

  private async answer(instance: LiveGroupDefinition, created: boolean): Promise<ActivationResult> {
    const view = await this.queries.definitionById(instance.id);

    return { group: resourceFromState(instance.state, instance.version, view), created };
  }
}
