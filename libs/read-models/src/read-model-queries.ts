import { type Collection, type Db, type Document, type Filter } from 'mongodb';

import { mergeRefreshState } from './projections';
import {
  DEFINITION_CODEC,
  type DefinitionWithRefresh,
  LIVE_COLLECTIONS,
  MEMBERSHIP_CODEC,
  type MembershipView,
  type ReadModelCollections,
  type RefreshStateView,
  RULE_DEFINITION_CODEC,
  type RuleDefinitionView,
  type SnapshotView,
  type StoredDefinition,
  type StoredMembership,
  type StoredRuleDefinition,
} from './views';

export interface PageRequest {
  /** 1-based. */
  readonly number: number;
  readonly size: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly page: PageRequest;
}

export interface DefinitionFilters {
  readonly type?: string;
  readonly is_active?: boolean;
  readonly is_archived?: boolean;
  readonly handle?: string;
  /** Only the groups this profile owns (its favourite instances among them). */
  readonly owner_profile_id?: string;
  /** Without an owner filter, groups owned by profiles are left out unless this is true. */
  readonly include_owned?: boolean;
}

/**
 * Queries over the read models. Filters are equality on scalar fields only, the one
 * shape FerretDB pushes down to its backend; sorting happens after that filter.
 * Free-form fields are decoded here, so callers see the views as projected.
 */
export class ReadModelQueries {
  private readonly definitions: Collection<StoredDefinition>;
  private readonly memberships: Collection<StoredMembership>;
  private readonly ruleDefinitions: Collection<StoredRuleDefinition>;
  private readonly refreshStates: Collection<RefreshStateView>;
  private readonly runs: Collection<SnapshotView>;

  constructor(db: Db, collections: ReadModelCollections = LIVE_COLLECTIONS) {
    this.definitions = db.collection<StoredDefinition>(collections.definitions);
    this.memberships = db.collection<StoredMembership>(collections.memberships);
    this.ruleDefinitions = db.collection<StoredRuleDefinition>(collections.ruleDefinitions);
    this.refreshStates = db.collection<RefreshStateView>(collections.refreshStates);
    this.runs = db.collection<SnapshotView>(collections.snapshots);
  }

  async definitionById(id: number): Promise<DefinitionWithRefresh | null> {
    return this.withRefresh(await this.definitions.findOne({ _id: id, is_deleted: false }));
  }

  async definitionByHandle(handle: string): Promise<DefinitionWithRefresh | null> {
    return this.withRefresh(await this.definitions.findOne({ handle, is_deleted: false }));
  }

  async browseDefinitions(
    filters: DefinitionFilters,
    page: PageRequest,
  ): Promise<Page<DefinitionWithRefresh>> {
    const filter: Filter<StoredDefinition> = { is_deleted: false };
    if (filters.type !== undefined) filter.type = filters.type as StoredDefinition['type'];
    if (filters.is_active !== undefined) filter.is_active = filters.is_active;
    if (filters.is_archived !== undefined) filter.is_archived = filters.is_archived;
    if (filters.handle !== undefined) filter.handle = filters.handle;
    if (filters.owner_profile_id !== undefined) filter.owner_profile_id = filters.owner_profile_id;
    else if (filters.include_owned !== true) filter.is_owned = false;
    const found = await this.page(this.definitions, filter, { _id: 1 }, page);
    const ids = found.items.map((item) => item._id);
    const states =
      ids.length === 0 ? [] : await this.refreshStates.find({ _id: { $in: ids } }).toArray();
    const byId = new Map(states.map((state) => [state._id, state]));

    return {
      ...found,
      items: found.items.map((item) =>
        mergeRefreshState(DEFINITION_CODEC.decode(item), byId.get(item._id) ?? null),
      ),
    };
  }

  /** Live groups with a rule built from the rule definition, by id. */
  async definitionsUsingRuleDefinition(ruleDefinitionId: number): Promise<number[]> {
    const found = await this.definitions
      .find(
        { rule_definition_ids: ruleDefinitionId, is_deleted: false },
        { projection: { _id: 1 } },
      )
      .toArray();

    return found.map((doc) => doc._id).sort((a, b) => a - b);
  }

  async members(
    groupId: number,
    options: { includeRemoved: boolean },
    page: PageRequest,
  ): Promise<Page<MembershipView>> {
    // A removal still waiting for its add (see ReadModelWriter) is not shown until it has it.
    const filter: Filter<StoredMembership> = options.includeRemoved
      ? { group_definition_id: groupId, awaiting_add: { $exists: false } }
      : { group_definition_id: groupId, is_current: true };

    // Oldest first; members added together come in profile id order.
    const found = await this.page(
      this.memberships,
      filter,
      { added_at: 1, profile_id: 1, _id: 1 },
      page,
    );

    return { ...found, items: found.items.map((item) => MEMBERSHIP_CODEC.decode(item)) };
  }

  /**
   * The memberships in force at `asOf` (ISO 8601 UTC): added at or before it, and
   * neither removed nor expired by then. Timestamps are stored as ISO strings of one
   * format, so they compare as text.
   * TODO: filters the group's memberships in memory; FerretDB cannot push an `$or` on
   * removed_at down, and fetching the whole collection for it would be worse.
   */
  async membersAsOf(
    groupId: number,
    asOf: string,
    page: PageRequest,
  ): Promise<Page<MembershipView>> {
    const all = await this.memberships
      .find({ group_definition_id: groupId })
      .sort({ added_at: 1, profile_id: 1, _id: 1 })
      .toArray();
    const inForce = all
      .map((stored) => MEMBERSHIP_CODEC.decode(stored))
      .filter((m) => inForceAt(m, asOf));
    const start = (page.number - 1) * page.size;

    return { items: inForce.slice(start, start + page.size), total: inForce.length, page };
  }

  /** For each instant, the ids of the group's members then (one read for all of them). */
  async membersAtEach(groupId: number, instants: readonly string[]): Promise<Set<string>[]> {
    const all = (await this.memberships.find({ group_definition_id: groupId }).toArray()).map(
      (stored) => MEMBERSHIP_CODEC.decode(stored),
    );

    return instants.map(
      (at) => new Set(all.filter((m) => inForceAt(m, at)).map((m) => m.profile_id)),
    );
  }

  /** The memberships in force of one profile, in any group, oldest first. */
  async membershipsOfProfile(profileId: string, page: PageRequest): Promise<Page<MembershipView>> {
    const found = await this.page(
      this.memberships,
      { profile_id: profileId, is_current: true },
      { added_at: 1, group_definition_id: 1, _id: 1 },
      page,
    );

    return { ...found, items: found.items.map((item) => MEMBERSHIP_CODEC.decode(item)) };
  }

  async currentMembership(groupId: number, profileId: string): Promise<MembershipView | null> {
    const found = await this.memberships.findOne({
      group_definition_id: groupId,
      profile_id: profileId,
      is_current: true,
    });

    return found === null ? null : MEMBERSHIP_CODEC.decode(found);
  }

  async ruleDefinitionById(id: number): Promise<RuleDefinitionView | null> {
    const found = await this.ruleDefinitions.findOne({ _id: id, is_deleted: false });

    return found === null ? null : RULE_DEFINITION_CODEC.decode(found);
  }

  async ruleDefinitionByHandle(handle: string): Promise<RuleDefinitionView | null> {
    const found = await this.ruleDefinitions.findOne({ handle, is_deleted: false });

    return found === null ? null : RULE_DEFINITION_CODEC.decode(found);
  }

  async browseRuleDefinitions(page: PageRequest): Promise<Page<RuleDefinitionView>> {
    const found = await this.page(this.ruleDefinitions, { is_deleted: false }, { _id: 1 }, page);

    return { ...found, items: found.items.map((item) => RULE_DEFINITION_CODEC.decode(item)) };
  }

  /** A group's evaluation runs, newest first. */
  async snapshots(groupId: number, page: PageRequest): Promise<Page<SnapshotView>> {
    return this.page(this.runs, { group_definition_id: groupId }, { sequence: -1 }, page);
  }

  async snapshot(groupId: number, snapshotId: string): Promise<SnapshotView | null> {
    return this.runs.findOne({ _id: snapshotId, group_definition_id: groupId });
  }

  /** Completed runs of a group, newest first. */
  async completedSnapshots(groupId: number, limit: number): Promise<SnapshotView[]> {
    return this.runs
      .find({ group_definition_id: groupId, status: 'completed' })
      .sort({ sequence: -1 })
      .limit(limit)
      .toArray();
  }

  /**
   * Waits until the definition view reflects at least `minVersion` (read-your-writes
   * for a client that just wrote). Resolves with whether it got there in time.
   */
  async waitForDefinitionVersion(
    id: number,
    minVersion: number,
    timeoutMs: number,
  ): Promise<boolean> {
    return this.waitForVersion(this.definitions, id, minVersion, timeoutMs);
  }

  async waitForRuleDefinitionVersion(
    id: number,
    minVersion: number,
    timeoutMs: number,
  ): Promise<boolean> {
    return this.waitForVersion(this.ruleDefinitions, id, minVersion, timeoutMs);
  }

  private async waitForVersion<T extends { _id: number; version: number }>(
    collection: Collection<T>,
    id: number,
    minVersion: number,
    timeoutMs: number,
  ): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const byId = { _id: id } as Filter<T>;
    for (;;) {
      const view = await collection.findOne(byId, { projection: { version: 1 } });
      if (view !== null && view.version >= minVersion) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private async withRefresh(
    stored: StoredDefinition | null,
  ): Promise<DefinitionWithRefresh | null> {
    if (stored === null) return null;
    const refresh = await this.refreshStates.findOne({ _id: stored._id });

    return mergeRefreshState(DEFINITION_CODEC.decode(stored), refresh);
  }

  private async page<T extends Document>(
    collection: Collection<T>,
    filter: Filter<T>,
    sort: Record<string, 1 | -1>,
    page: PageRequest,
  ): Promise<Page<T>> {
    const [items, total] = await Promise.all([
      collection
        .find(filter)
        .sort(sort)
        .skip((page.number - 1) * page.size)
        .limit(page.size)
        .toArray(),
      collection.countDocuments(filter),
    ]);

    return { items: items as T[], total, page };
  }
}

/** Whether a membership held at the instant: [added_at, min(removed_at, expires_at)). */
export function inForceAt(membership: MembershipView, at: string): boolean {
  if (membership.awaiting_add === true || membership.added_at > at) return false;
  if (membership.removed_at !== null && membership.removed_at <= at) return false;

  return membership.expires_at === null || membership.expires_at > at;
}
