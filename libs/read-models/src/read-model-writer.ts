import {
  type DomainEvent,
  type EnvelopeOf,
  type EventEnvelope,
  type GroupDefinitionEvent,
  type MemberRemoved,
} from '@profile-groups/contracts';
import { duplicateIndexes, isDuplicateKey } from '@profile-groups/event-store';
import { type Collection, type Db } from 'mongodb';

import { membershipFromAdded, projectGroupDefinition, removalChanges } from './projections';
import {
  type GroupDefinitionView,
  LIVE_COLLECTIONS,
  type MembershipView,
  type ReadModelCollections,
} from './views';

type AnyEnvelope = EventEnvelope<string, unknown>;

const PENDING_LIMIT = 1000;

/**
 * Applies events to the read models in MongoDB. Each write is a single-document
 * operation guarded by what the document already reflects, so applying an event
 * twice, or replaying the whole history, changes nothing the second time.
 * `current_member_count` is derived state: recounted, never incremented, so a crash
 * between two writes cannot leave it wrong.
 */
export class ReadModelWriter {
  readonly definitions: Collection<GroupDefinitionView>;
  readonly memberships: Collection<MembershipView>;
  private readonly touchedGroups = new Set<number>();
  /** New memberships are written in bulk: one insert per event is slow on FerretDB. */
  private pendingMemberships: MembershipView[] = [];

  constructor(db: Db, collections: ReadModelCollections = LIVE_COLLECTIONS) {
    this.definitions = db.collection<GroupDefinitionView>(collections.definitions);
    this.memberships = db.collection<MembershipView>(collections.memberships);
  }

  async ensureIndexes(): Promise<void> {
    await this.definitions.createIndex({ handle: 1 });
    await this.definitions.createIndex({ type: 1, is_deleted: 1 });
    await this.memberships.createIndex({ group_definition_id: 1, is_current: 1 });
    await this.memberships.createIndex({ profile_id: 1 });
  }

  /** Applies one event whose data was validated against its schema. */
  async apply(event: AnyEnvelope): Promise<void> {
    const typed = event as EnvelopeOf<DomainEvent>;
    if (typed.type === 'MemberAdded') {
      this.touchedGroups.add(typed.data.group_definition_id);
      this.pendingMemberships.push(membershipFromAdded(typed));
      if (this.pendingMemberships.length >= PENDING_LIMIT) await this.writePendingMemberships();

      return;
    }
    // Anything else may touch a pending membership, so those are written first.
    await this.writePendingMemberships();
    if (typed.type === 'MemberRemoved') {
      await this.applyMemberRemoved(typed);
    } else {
      await this.applyDefinitionEvent(typed);
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

  private async applyDefinitionEvent(event: EnvelopeOf<GroupDefinitionEvent>) {
    const groupId = event.data.group_definition_id;
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.definitions.findOne({ _id: groupId });
      const next = projectGroupDefinition(current, event);
      if (next === null) return;
      if (current === null) {
        try {
          await this.definitions.insertOne(next);
          this.touchedGroups.add(groupId);

          return;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          continue;
        }
      }
      const { matchedCount } = await this.definitions.replaceOne(
        { _id: groupId, version: current.version },
        next,
      );
      if (matchedCount === 1) return;
    }
    throw new Error(`Definition view ${groupId} kept changing while applying ${event.id}`);
  }

  private async writePendingMemberships(): Promise<void> {
    if (this.pendingMemberships.length === 0) return;
    const docs = this.pendingMemberships;
    this.pendingMemberships = [];
    try {
      await this.memberships.insertMany(docs, { ordered: false });
    } catch (error) {
      try {
        // The membership id is unique per add: a duplicate means that event was applied.
        duplicateIndexes(error);
      } catch (unexpected) {
        this.pendingMemberships = [...docs, ...this.pendingMemberships];
        throw unexpected;
      }
    }
  }

  private async applyMemberRemoved(event: EnvelopeOf<MemberRemoved>) {
    this.touchedGroups.add(event.data.group_definition_id);
    // Matches only while the membership is current, so a redelivery is a no-op.
    await this.memberships.updateOne(
      { _id: event.data.membership_id, is_current: true },
      { $set: removalChanges(event) },
    );
  }
}
