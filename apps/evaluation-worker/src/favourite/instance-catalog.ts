import { type GroupDefinitionEvent, groupDefinitionStream } from '@profile-groups/contracts';
import {
  evolveGroupDefinition,
  type GroupDefinitionState,
  instanceOwner,
} from '@profile-groups/domain';
import { type EventStore, type StreamRead } from '@profile-groups/event-store';

/**
 * Every live favourite instance, by owner, folded from the event store: loaded in full
 * at start-up and per instance when one of its events arrives. Connection changes are
 * decided for the instances of their owner found here.
 * TODO: with several worker instances, one sees only its share of the definition
 * topic; like GroupCatalog it would need a periodic full reload to learn of instances
 * activated through another (the worker runs as one replica, see dynamic-groups.md).
 */
export class InstanceCatalog {
  private readonly byId = new Map<number, GroupDefinitionState>();
  private readonly byOwner = new Map<string, Map<number, GroupDefinitionState>>();

  constructor(private readonly store: EventStore) {}

  async loadAll(): Promise<void> {
    this.byId.clear();
    this.byOwner.clear();
    for await (const read of this.store.readAllStreams('group-definition')) {
      const state = liveInstance(read);
      if (state !== null) this.put(state);
    }
  }

  /** Re-reads one group; returns it while it is a live instance, else null. */
  async reload(groupId: number): Promise<GroupDefinitionState | null> {
    const state = liveInstance(await this.store.readStream(groupDefinitionStream(groupId)));
    this.remove(groupId);
    if (state !== null) this.put(state);

    return state;
  }

  get(groupId: number): GroupDefinitionState | undefined {
    return this.byId.get(groupId);
  }

  /** The owner's instances that follow its connections now. */
  following(ownerProfileId: string): GroupDefinitionState[] {
    return [...(this.byOwner.get(ownerProfileId)?.values() ?? [])].filter(followsConnections);
  }

  /** Every live instance activated from a favourite definition, active or not. */
  instancesOf(favouriteDefinitionId: number): GroupDefinitionState[] {
    const source = String(favouriteDefinitionId);

    return [...this.byId.values()].filter((state) => state.attributes.source_id === source);
  }

  get size(): number {
    return this.byId.size;
  }

  private put(state: GroupDefinitionState): void {
    const owner = instanceOwner(state)!;
    this.byId.set(state.id, state);
    const owned = this.byOwner.get(owner) ?? new Map<number, GroupDefinitionState>();
    owned.set(state.id, state);
    this.byOwner.set(owner, owned);
  }

  private remove(groupId: number): void {
    const known = this.byId.get(groupId);
    if (known === undefined) return;
    this.byId.delete(groupId);
    const owner = instanceOwner(known)!;
    const owned = this.byOwner.get(owner);
    owned?.delete(groupId);
    if (owned?.size === 0) this.byOwner.delete(owner);
  }
}

/**
 * An instance follows its owner's connections while active, archived or not (an
 * archived one takes no one new, but connections still end memberships). A
 * deactivated one is left as it is until it is activated again.
 */
export function followsConnections(state: GroupDefinitionState): boolean {
  return instanceOwner(state) !== null && !state.deleted && state.flags.is_active;
}

function liveInstance(read: StreamRead): GroupDefinitionState | null {
  const state = (
    read.events as unknown as GroupDefinitionEvent[]
  ).reduce<GroupDefinitionState | null>(evolveGroupDefinition, null);

  return state !== null && !state.deleted && instanceOwner(state) !== null ? state : null;
}
