import { Inject, Injectable } from '@nestjs/common';
import { type EventMetadata } from '@profile-groups/contracts';
import { decideGroupDefinition, DomainError, instanceOwner } from '@profile-groups/domain';
import { ConcurrencyError, EventStore } from '@profile-groups/event-store';

import { GroupDefinitionStreams } from '../../group-definitions/shared/group-definition-streams';
import {
  groupNotFound,
  GroupTargets,
  type LiveGroupDefinition,
} from '../../group-definitions/shared/group-targets';
import { GroupHandleClaims } from '../../group-definitions/shared/handle-claims';
import { Clock } from '../../infrastructure/clock';
import { HandleRegistry } from '../../infrastructure/handle-registry';
import { FAVOURITE_INSTANCES, GROUP_HANDLES } from '../../infrastructure/tokens';
import { FavouriteInstanceClaims, instanceKey } from './instance-claims';

/**
 * Finds a profile's favourite instance from the write side: by its own id, or by the
 * id or handle of the favourite definition it was activated from. Anything the profile
 * does not own is not found.
 */
@Injectable()
export class FavouriteInstances {
  constructor(
    private readonly targets: GroupTargets,
    private readonly streams: GroupDefinitionStreams,
    @Inject(FAVOURITE_INSTANCES) private readonly claims: HandleRegistry,
    @Inject(GROUP_HANDLES) private readonly handleRegistry: HandleRegistry,
    private readonly instanceClaims: FavouriteInstanceClaims,
    private readonly handles: GroupHandleClaims,
    private readonly eventStore: EventStore,
    private readonly clock: Clock,
  ) {}

  async load(ownerProfileId: string, segment: string): Promise<LiveGroupDefinition> {
    const named = await this.targets.load(segment);
    const owner = instanceOwner(named.state);
    if (owner === ownerProfileId) return named;
    const isDefinition = owner === null && named.state.attributes.type === 'favourite';
    const instance = isDefinition ? await this.existing(named.id, ownerProfileId) : null;
    if (instance === null) throw groupNotFound();

    return instance;
  }

  /** The favourite definition a segment names, or null when it names no live group. */
  async definition(segment: string): Promise<LiveGroupDefinition | null> {
    try {
      return await this.targets.load(segment);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found') return null;
      throw error;
    }
  }

  /** The owner's live instance of a favourite definition, if it has one. */
  async existing(
    favouriteDefinitionId: number,
    ownerProfileId: string,
  ): Promise<LiveGroupDefinition | null> {
    const claim = await this.claims.find(instanceKey(favouriteDefinitionId, ownerProfileId));
    if (claim === null) return null;
    const loaded = await this.streams.load(claim.owner_id);
    const state = loaded.state;
    const live =
      state !== null &&
      !state.deleted &&
      instanceOwner(state) === ownerProfileId &&
      state.attributes.source_id === String(favouriteDefinitionId);

    return live ? { ...loaded, state } : null;
  }

  /**
   * The owner's instance holding `handle` when its favourite definition is deleted
   * (the worker deletes such instances, but may not have yet); null otherwise.
   */
  async orphanHolding(handle: string, ownerProfileId: string): Promise<LiveGroupDefinition | null> {
    // An instance handle holds an `@`, which no `{group}` segment may: read the claim.
    const claim = await this.handleRegistry.find(handle);
    if (claim === null) return null;
    const holder = await this.streams.load(claim.owner_id);
    const { state } = holder;
    if (state === null || state.deleted || instanceOwner(state) !== ownerProfileId) return null;
    if (state.attributes.handle !== handle) return null;
    const source = await this.streams.load(Number(state.attributes.source_id));

    return source.state === null || source.state.deleted ? { ...holder, state } : null;
  }

  /** Deletes an orphaned instance and frees its claims; one deleted meanwhile is left as it is. */
  async deleteOrphan(orphan: LiveGroupDefinition, metadata: EventMetadata): Promise<void> {
    const events = decideGroupDefinition(orphan.state, {
      kind: 'DeleteGroupDefinition',
      now: this.clock.now(),
    });
    try {
      await this.eventStore.append(orphan.stream, orphan.version, events, metadata);
    } catch (error) {
      // Another writer (the worker, most likely) changed it first: the claim answers.
      if (!(error instanceof ConcurrencyError)) throw error;

      return;
    }
    const { handle, owner_profile_id: owner, source_id: source } = orphan.state.attributes;
    await this.handles.release(handle, orphan.id);
    await this.instanceClaims.release(instanceKey(Number(source), owner!), orphan.id);
  }
}
