import {
  type ConnectionRemoved,
  type ConnectionUpserted,
  connectionInputProblem,
  type EnvelopeOf,
  type EventMetadata,
  type GroupDefinitionEvent,
  groupDefinitionStream,
  type MemberRemoved,
} from '@profile-groups/contracts';
import {
  type ConnectionSnapshot,
  decideGroupDefinition,
  evolveGroupDefinition,
  type GroupDefinitionState,
} from '@profile-groups/domain';
import {
  type ConnectionChange,
  type ConnectionRecord,
  type ConnectionStore,
  type InputPosition,
} from '@profile-groups/evaluation';
import { decideAndAppend, type EventStore } from '@profile-groups/event-store';
import { PermanentFailure } from '@profile-groups/messaging';
import { type Logger } from '@profile-groups/observability';

import { type PairIndex } from '../dynamic/pair-index';
import {
  type ConnectionDecision,
  type ConnectionMembershipWriter,
} from './connection-membership-writer';
import { followsConnections, type InstanceCatalog } from './instance-catalog';

/** Whether a profile's last word was its deletion (the worker's profile store knows). */
export interface DeletedProfiles {
  isDeleted(profileId: string): boolean;
}

export interface FavouriteGroupsDependencies {
  readonly store: EventStore;
  readonly catalog: InstanceCatalog;
  readonly connections: ConnectionStore;
  /** A deleted profile joins no instance until it is upserted again. */
  readonly profiles: DeletedProfiles;
  /** The favourite instances' (group, profile) pairs; kept apart from the dynamic groups'. */
  readonly pairs: PairIndex;
  readonly writer: ConnectionMembershipWriter;
  readonly logger: Logger;
}

/** Events of an instance's stream after which its members are brought in line at once. */
const SYNC_ON = new Set<GroupDefinitionEvent['type']>([
  'FavouriteGroupActivated',
  'GroupDefinitionActivated',
  'GroupDefinitionUnarchived',
]);

/**
 * Favourite instances follow their owners' connections. A connection change is stored
 * in the connection store, then decided for each of the owner's instances whose
 * `source_type` it had or has now. An instance activated (or activated again, or
 * unarchived) is brought in line with all of its owner's current connections. The
 * decisions themselves, manual actions winning over connections included, are the
 * domain's (`ApplyConnectionOutcome`).
 *
 * Connections and definitions arrive on two topics, so an instance can be activated
 * while a connection change is on its way: each side records its own news before it
 * reads the other's (the change is stored before the catalog is read; the catalog is
 * updated before the connections are read), so one of the two always decides it.
 */
export class FavouriteGroups {
  private sweeping: Promise<void> | null = null;

  constructor(private readonly deps: FavouriteGroupsDependencies) {}

  async start(): Promise<void> {
    await this.deps.catalog.loadAll();
    this.deps.logger.info('favourites.loaded', { instances: this.deps.catalog.size });
  }

  /** `heartbeat` is called between the instances a deleted definition takes with it. */
  async onDefinitionEvent(
    event: EnvelopeOf<GroupDefinitionEvent>,
    heartbeat: () => Promise<void> = () => Promise.resolve(),
  ): Promise<void> {
    const groupId = event.data.group_definition_id;
    // Only an activation makes a group an instance: the other groups' events (every rule
    // edit of a dynamic group among them) cost no read here.
    const known = this.deps.catalog.get(groupId) !== undefined;
    if (!known && event.type === 'GroupDefinitionDeleted') {
      await this.deleteInstancesOf(groupId, event, heartbeat);

      return;
    }
    if (!known && event.type !== 'FavouriteGroupActivated') return;
    const instance = await this.deps.catalog.reload(groupId);
    if (instance === null) {
      this.deps.pairs.forget(groupId);

      return;
    }
    if (SYNC_ON.has(event.type) && followsConnections(instance)) {
      await this.sync(instance, metadataOf(event));
    }
  }

  async onConnectionEvent(
    event: EnvelopeOf<ConnectionUpserted> | EnvelopeOf<ConnectionRemoved>,
    position: InputPosition,
  ): Promise<void> {
    const { profile_id: owner, connected_profile_id: connected } = event.data;
    const problem = connectionInputProblem(owner, connected);
    if (problem !== null) throw new PermanentFailure('connection.invalid_input', problem);
    const applied = await this.deps.connections.apply(owner, connected, changeOf(event), position);
    // A redelivered change was stored already, but the process that stored it may have
    // died before deciding it: every instance of the owner is decided again (a no-op
    // where nothing is left to do), as the connection now stands.
    const current =
      applied === undefined ? this.deps.connections.current(owner, connected) : applied.current;
    const touched = applied === undefined ? null : [applied.previous?.type, applied.current?.type];
    const decisions = this.deps.catalog
      .following(owner)
      .filter((group) => touched === null || touched.includes(group.attributes.source_type!))
      .map(
        (group): ConnectionDecision => ({
          group,
          profileId: connected,
          connection: snapshot(current),
        }),
      );
    const written = await this.write(decisions, metadataOf(event));
    if (written.added + written.removed > 0) {
      this.deps.logger.debug('favourites.connection_applied', {
        owner_profile_id: owner,
        instances: decisions.length,
        ...written,
      });
    }
    this.sweepInBackground();
  }

  /**
   * A manual addition that expires while the owner's connection to the profile still
   * counts is followed at once by a membership of that connection (reason `connection`
   * on the add), which then lasts while the connection does. Other memberships that
   * expire leave nothing to do: a connection-made one ends by `absolute_expiry`, after
   * which an instance admits no one.
   */
  async onMembershipRemoved(event: EnvelopeOf<MemberRemoved>): Promise<void> {
    const {
      group_definition_id: groupId,
      profile_id: profileId,
      owner_profile_id: owner,
    } = event.data;
    if (event.data.reason !== 'expired' || owner === undefined) return;
    const group = this.deps.catalog.get(groupId);
    if (group === undefined || !followsConnections(group)) return;
    const connection = snapshot(this.deps.connections.current(owner, profileId));
    const written = await this.write([{ group, profileId, connection }], metadataOf(event));
    if (written.added > 0) {
      this.deps.logger.debug('favourites.readmitted', {
        group_definition_id: groupId,
        owner_profile_id: owner,
      });
    }
  }

  /** Waits for a background sweep (shutdown and tests). */
  async settle(): Promise<void> {
    await this.sweeping;
  }

  /**
   * Decides every profile the owner is connected to (in any way), and every current
   * member the owner is no longer connected to at all. Reads the connections from the
   * store, so that it sees changes any worker instance applied.
   */
  private async sync(instance: GroupDefinitionState, metadata: EventMetadata): Promise<void> {
    const owner = instance.attributes.owner_profile_id!;
    const connections = await this.deps.connections.connectionsOf(owner);
    const connected = new Set(connections.map((c) => c.connected_profile_id));
    const decisions: ConnectionDecision[] = connections.map((c) => ({
      group: instance,
      profileId: c.connected_profile_id,
      connection: snapshot(c),
    }));
    for (const [profileId, pair] of await this.deps.pairs.pairsOf(instance.id)) {
      if (pair.membership.current !== null && !connected.has(profileId)) {
        decisions.push({ group: instance, profileId, connection: null });
      }
    }
    const written = await this.write(decisions, metadata);
    this.deps.logger.info('favourites.synced', {
      group_definition_id: instance.id,
      owner_profile_id: owner,
      connections: connections.length,
      ...written,
    });
  }

  /**
   * A deleted profile is left out (asked again before each attempt): its memberships
   * were ended by its deletion, and no connection brings it back until it is upserted
   * again.
   * TODO: a profile upserted again after its deletion is admitted back only at its
   * next connection change or its owner's next instance sync, not at the upsert.
   */
  private write(decisions: readonly ConnectionDecision[], metadata: EventMetadata) {
    return this.deps.writer.write(decisions, metadata, (decision) =>
      this.deps.profiles.isDeleted(decision.profileId),
    );
  }

  /**
   * A favourite definition deleted takes its instances with it: each is deleted as a
   * group is (its memberships then end with reason `group_deleted`, and its handle and
   * (definition, owner) claims go stale, free to be taken over), so that a definition
   * made later with the same handle can be activated by the same owners.
   */
  private async deleteInstancesOf(
    definitionId: number,
    event: EnvelopeOf<GroupDefinitionEvent>,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const instances = this.deps.catalog.instancesOf(definitionId);
    const metadata: EventMetadata = {
      correlation_id: event.correlation_id,
      causation_id: event.id,
      actor: 'system:group-deleted',
    };
    const now = new Date(event.time);
    for (const instance of instances) {
      await decideAndAppend(
        this.deps.store,
        {
          stream: groupDefinitionStream(instance.id),
          initial: null as GroupDefinitionState | null,
          evolve: (state, next: GroupDefinitionEvent) => evolveGroupDefinition(state, next),
          decide: (state) =>
            state === null || state.deleted
              ? []
              : decideGroupDefinition(state, { kind: 'DeleteGroupDefinition', now }),
        },
        metadata,
      );
      // Forgotten at once, not only when its deletion comes back on the topic.
      await this.deps.catalog.reload(instance.id);
      this.deps.pairs.forget(instance.id);
      await heartbeat();
    }
    if (instances.length > 0) {
      this.deps.logger.info('favourites.definition_deleted', {
        group_definition_id: definitionId,
        instances: instances.length,
      });
    }
  }

  /** Superseded connection versions are deleted off the decision path. */
  private sweepInBackground(): void {
    if (this.sweeping !== null) return;
    this.sweeping = this.deps.connections
      .sweep()
      .catch((error: unknown) =>
        this.deps.logger.warn('connections.sweep_failed', {
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => {
        this.sweeping = null;
      });
  }
}

function changeOf(
  event: EnvelopeOf<ConnectionUpserted> | EnvelopeOf<ConnectionRemoved>,
): ConnectionChange {
  return event.type === 'ConnectionUpserted'
    ? {
        kind: 'upsert',
        type: event.data.type,
        status: event.data.status,
        at: event.data.upserted_at,
      }
    : { kind: 'remove', at: event.data.removed_at };
}

function snapshot(record: ConnectionRecord | null): ConnectionSnapshot | null {
  return record === null ? null : { type: record.type, status: record.status };
}

function metadataOf(event: { id: string; correlation_id: string }): EventMetadata {
  return {
    correlation_id: event.correlation_id,
    causation_id: event.id,
    actor: 'system:connections',
  };
}
