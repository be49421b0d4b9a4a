import { type Collection, type Db, type Filter } from 'mongodb';

import {
  type GroupDefinitionView,
  LIVE_COLLECTIONS,
  type MembershipView,
  type ReadModelCollections,
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
}

/**
 * Queries over the read models. Filters are equality on scalar fields only, the one
 * shape FerretDB pushes down to its backend; sorting happens after that filter.
 */
export class ReadModelQueries {
  private readonly definitions: Collection<GroupDefinitionView>;
  private readonly memberships: Collection<MembershipView>;

  constructor(db: Db, collections: ReadModelCollections = LIVE_COLLECTIONS) {
    this.definitions = db.collection<GroupDefinitionView>(collections.definitions);
    this.memberships = db.collection<MembershipView>(collections.memberships);
  }

  async definitionById(id: number): Promise<GroupDefinitionView | null> {
    return this.definitions.findOne({ _id: id, is_deleted: false });
  }

  async definitionByHandle(handle: string): Promise<GroupDefinitionView | null> {
    return this.definitions.findOne({ handle, is_deleted: false });
  }

  async browseDefinitions(
    filters: DefinitionFilters,
    page: PageRequest,
  ): Promise<Page<GroupDefinitionView>> {
    const filter: Filter<GroupDefinitionView> = { is_deleted: false };
    if (filters.type !== undefined) filter.type = filters.type as GroupDefinitionView['type'];
    if (filters.is_active !== undefined) filter.is_active = filters.is_active;
    if (filters.is_archived !== undefined) filter.is_archived = filters.is_archived;
    if (filters.handle !== undefined) filter.handle = filters.handle;

    return this.page(this.definitions, filter, { _id: 1 }, page);
  }

  async members(
    groupId: number,
    options: { includeRemoved: boolean },
    page: PageRequest,
  ): Promise<Page<MembershipView>> {
    const filter: Filter<MembershipView> = options.includeRemoved
      ? { group_definition_id: groupId }
      : { group_definition_id: groupId, is_current: true };

    // Oldest first; members added together come in profile id order.
    return this.page(this.memberships, filter, { added_at: 1, profile_id: 1, _id: 1 }, page);
  }

  async currentMembership(groupId: number, profileId: string): Promise<MembershipView | null> {
    return this.memberships.findOne({
      group_definition_id: groupId,
      profile_id: profileId,
      is_current: true,
    });
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
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.definitions.findOne({ _id: id }, { projection: { version: 1 } });
      if (view !== null && view.version >= minVersion) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private async page<T extends { _id: unknown }>(
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
