import {
  type DomainEvent,
  type EnvelopeOf,
  type EvaluationEvent,
  type EventEnvelope,
  type GroupDefinitionEvent,
  type MemberRemoved,
  type RuleDefinitionEvent,
} from '@profile-groups/contracts';
import { duplicateIndexes, isDuplicateKey } from '@profile-groups/event-store';
import { type Collection, type Db, type Document, type Filter } from 'mongodb';

import {
  isSnapshotEvent,
  membershipFromAdded,
  projectGroupDefinition,
  projectRefreshState,
  projectRuleDefinition,
  projectSnapshot,
  removalChanges,
  tombstoneFromRemoved,
} from './projections';
import {
  DEFINITION_CODEC,
  type GroupDefinitionView,
  LIVE_COLLECTIONS,
  MEMBERSHIP_CODEC,
  type ReadModelCollections,
  type RefreshStateView,
  RULE_DEFINITION_CODEC,
  type RuleDefinitionView,
  type SnapshotView,
  type StoredDefinition,
  type StoredMembership,
  type StoredRuleDefinition,
} from './views';

type AnyEnvelope = EventEnvelope<string, unknown>;

const PENDING_LIMIT = 1000;

/** One document-per-id view: how it is stored, and which field records what it reflects. */
interface VersionedViews<View extends { _id: number | string }> {
  readonly collection: Collection<Document>;
  readonly versionField: keyof View & string;
  readonly encode: (view: View) => Document;
  readonly decode: (stored: Document) => View;
}

function versioned<View extends { _id: number | string }>(
  collection: Collection<Document>,
  versionField: keyof View & string,
  codec?: { encode: (view: View) => object; decode: (stored: never) => View },
): VersionedViews<View> {
  return {
    collection,
    versionField,
    encode: (view) => codec?.encode(view) ?? view,
    decode: (stored) => (codec ? codec.decode(stored as never) : (stored as View)),
  };
}

/**
 * Applies events to the read models in MongoDB. Each write is a single-document
 * operation guarded by what the document already reflects, so applying an event
 * twice, or replaying the whole history, changes nothing the second time.
 * `current_member_count` is derived state: recounted, never incremented, so a crash
 * between two writes cannot leave it wrong. Profile events feed no read model: they
 * are ignored (the projection service does not subscribe to them).
 */
export class ReadModelWriter {
  readonly definitions: Collection<StoredDefinition>;
  readonly memberships: Collection<StoredMembership>;
  readonly ruleDefinitions: Collection<StoredRuleDefinition>;
  readonly refreshStates: Collection<RefreshStateView>;
  readonly snapshots: Collection<SnapshotView>;
  private readonly definitionViews: VersionedViews<GroupDefinitionView>;
  private readonly ruleDefinitionViews: VersionedViews<RuleDefinitionView>;
  private readonly refreshViews: VersionedViews<RefreshStateView>;
  private readonly snapshotViews: VersionedViews<SnapshotView>;
  private readonly touchedGroups = new Set<number>();
  /** New memberships are written in bulk: one insert per event is slow on FerretDB. */
  private pendingMemberships: StoredMembership[] = [];

  constructor(db: Db, collections: ReadModelCollections = LIVE_COLLECTIONS) {
    this.definitions = db.collection<StoredDefinition>(collections.definitions);
    this.memberships = db.collection<StoredMembership>(collections.memberships);
    this.ruleDefinitions = db.collection<StoredRuleDefinition>(collections.ruleDefinitions);
    this.refreshStates = db.collection<RefreshStateView>(collections.refreshStates);
    this.snapshots = db.collection<SnapshotView>(collections.snapshots);
    this.definitionViews = versioned(
      db.collection(collections.definitions),
      'version',
      DEFINITION_CODEC,
    );
    this.ruleDefinitionViews = versioned(
      db.collection(collections.ruleDefinitions),
      'version',
      RULE_DEFINITION_CODEC,
    );
    this.refreshViews = versioned(db.collection(collections.refreshStates), 'version');
    this.snapshotViews = versioned(db.collection(collections.snapshots), 'stream_version');
  }

  async ensureIndexes(): Promise<void> {
    await this.definitions.createIndex({ handle: 1 });
    await this.definitions.createIndex({ type: 1, is_deleted: 1 });
    await this.definitions.createIndex({ owner_profile_id: 1 });
    await this.memberships.createIndex({ group_definition_id: 1, is_current: 1 });
    await this.memberships.createIndex({ profile_id: 1 });
    await this.ruleDefinitions.createIndex({ handle: 1 });
    await this.snapshots.createIndex({ group_definition_id: 1, status: 1 });
  }

  /** Applies one event whose data was validated against its schema. */
  async apply(event: AnyEnvelope): Promise<void> {
    const typed = event as EnvelopeOf<DomainEvent>;
    if (typed.type === 'MemberAdded') {
      this.touchedGroups.add(typed.data.group_definition_id);
      this.pendingMemberships.push(MEMBERSHIP_CODEC.encode(membershipFromAdded(typed)));
      if (this.pendingMemberships.length >= PENDING_LIMIT) await this.writePendingMemberships();

      return;
    }
    // Anything else may touch a pending membership, so those are written first.
    await this.writePendingMemberships();
    switch (typed.type) {
      case 'MemberRemoved':
        return this.applyMemberRemoved(typed);
      case 'GroupDefinitionCreated':
      case 'FavouriteGroupActivated':
      case 'GroupDefinitionUpdated':
      case 'GroupDefinitionPublished':
      case 'GroupDefinitionUnpublished':
      case 'GroupDefinitionActivated':
      case 'GroupDefinitionDeactivated':
      case 'GroupDefinitionArchived':
      case 'GroupDefinitionUnarchived':
      case 'GroupDefinitionDeleted':
      case 'GroupRuleAdded':
      case 'RuleChanged':
      case 'GroupRuleRemoved':
        return this.applyDefinitionEvent(typed);
      case 'RuleDefinitionCreated':
      case 'RuleDefinitionUpdated':
      case 'RuleDefinitionDeleted':
        return this.applyRuleDefinitionEvent(typed);
      case 'RefreshRequested':
      case 'RefreshScheduled':
      case 'RefreshStarted':
      case 'RefreshFailed':
      case 'SnapshotTaken':
        return this.applyEvaluationEvent(typed);
      case 'ProfileUpserted':
      case 'ProfileDeleted':
      case 'ConnectionUpserted':
      case 'ConnectionRemoved':
        return;
      default: {
        const unreachable: never = typed;
        throw new Error(`Unhandled event ${(unreachable as { type: string }).type}`);
      }
    }
  }

  /**
   * Writes what is pending and recounts the groups touched since the last flush. Call
   * before committing offsets: only then is every applied event durable.
   */
  async flush(): Promise<void> {
    await this.writePendingMemberships();
    const groups = [...this.touchedGroups];
    this.touchedGroups.clear();
    try {
      for (const groupId of groups) {
        await this.recount(groupId);
      }
    } catch (error) {
      groups.forEach((groupId) => this.touchedGroups.add(groupId));
      throw error;
    }
  }

  async recount(groupId: number): Promise<void> {
    const count = await this.memberships.countDocuments({
      group_definition_id: groupId,
      is_current: true,
    });
    await this.definitions.updateOne({ _id: groupId }, { $set: { current_member_count: count } });
  }

  private async applyDefinitionEvent(event: EnvelopeOf<GroupDefinitionEvent>): Promise<void> {
    const groupId = event.data.group_definition_id;
    const inserted = await this.applyTo(this.definitionViews, groupId, event.id, (current) =>
      projectGroupDefinition(current, event),
    );
    // A membership event consumed before the definition existed found nothing to count.
    if (inserted) this.touchedGroups.add(groupId);
  }

  private async applyRuleDefinitionEvent(event: EnvelopeOf<RuleDefinitionEvent>): Promise<void> {
    await this.applyTo(this.ruleDefinitionViews, event.data.rule_definition_id, event.id, (view) =>
      projectRuleDefinition(view, event),
    );
  }

  /** The group's refresh state, and the run the event belongs to; each guarded by its version. */
  private async applyEvaluationEvent(event: EnvelopeOf<EvaluationEvent>): Promise<void> {
    await this.applyTo(this.refreshViews, event.data.group_definition_id, event.id, (view) =>
      projectRefreshState(view, event),
    );
    if (isSnapshotEvent(event)) {
      await this.applyTo(this.snapshotViews, event.data.snapshot_id, event.id, (view) =>
        projectSnapshot(view, event),
      );
    }
  }

  /**
   * Read, project, then insert or replace conditionally on the version read; a
   * concurrent writer of the same document makes it read again. Resolves with
   * whether a new document was inserted.
   */
  private async applyTo<View extends { _id: number | string }>(
    views: VersionedViews<View>,
    id: View['_id'],
    eventId: string,
    project: (current: View | null) => View | null,
  ): Promise<boolean> {
    const byId = { _id: id } as unknown as Filter<Document>;
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored = await views.collection.findOne(byId);
      const current = stored === null ? null : views.decode(stored);
      const next = project(current);
      if (next === null) return false;
      if (current === null) {
        try {
          await views.collection.insertOne(views.encode(next));

          return true;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          continue;
        }
      }
      const { matchedCount } = await views.collection.replaceOne(
        {
          _id: id,
          [views.versionField]: current[views.versionField],
        } as unknown as Filter<Document>,
        views.encode(next),
      );
      if (matchedCount === 1) return false;
    }
    throw new Error(`View ${String(id)} kept changing while applying ${eventId}`);
  }

  private async writePendingMemberships(): Promise<void> {
    if (this.pendingMemberships.length === 0) return;
    const docs = this.pendingMemberships;
    this.pendingMemberships = [];
    let duplicates: Set<number>;
    try {
      await this.memberships.insertMany(docs, { ordered: false });

      return;
    } catch (error) {
      try {
        duplicates = duplicateIndexes(error);
      } catch (unexpected) {
        this.pendingMemberships = [...docs, ...this.pendingMemberships];
        throw unexpected;
      }
    }
    // The membership id is unique per add: a duplicate means either that this add was
    // applied already, or that its removal was applied first and waits for it.
    try {
      await this.completeTombstones(docs.filter((_, index) => duplicates.has(index)));
    } catch (error) {
      this.pendingMemberships = [...docs, ...this.pendingMemberships];
      throw error;
    }
  }

  /** Fills in what only the add knows on memberships whose removal came first. */
  private async completeTombstones(adds: readonly StoredMembership[]): Promise<void> {
    // Tombstones are rare and short-lived; one equality query finds them all.
    const waiting = new Map(
      (await this.memberships.find({ awaiting_add: true }).toArray()).map((doc) => [doc._id, doc]),
    );
    for (const add of adds) {
      const tombstone = waiting.get(add._id);
      if (tombstone === undefined) continue;
      // The removal's fields stand; the add brings what the removal could not know.
      const fromAdd = Object.fromEntries(
        Object.entries(add).filter(([field]) => !(field in tombstone)),
      );
      await this.memberships.updateOne(
        { _id: add._id, awaiting_add: true },
        { $set: fromAdd, $unset: { awaiting_add: '' } },
      );
    }
  }

  private async applyMemberRemoved(event: EnvelopeOf<MemberRemoved>) {
    this.touchedGroups.add(event.data.group_definition_id);
    // Matches only while the membership is current, so a redelivery is a no-op.
    const { matchedCount } = await this.memberships.updateOne(
      { _id: event.data.membership_id, is_current: true },
      { $set: removalChanges(event) },
    );
    if (matchedCount === 1) return;
    // Already ended (a redelivery), or its add has not been applied yet: during a
    // rebuild's catch-up the live projection can get a pair's removal into the new view
    // before the catch-up brings the add. The removal is kept so the add cannot make the
    // membership current again.
    try {
      await this.memberships.insertOne(tombstoneFromRemoved(event) as StoredMembership);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}
