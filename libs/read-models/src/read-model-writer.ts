import {
  type DomainEvent,
  type EnvelopeOf,
  type EventEnvelope,
  type GroupDefinitionEvent,
  type MemberAdded,
  type MemberRemoved,
} from '@profile-groups/contracts';
import { isDuplicateKey } from '@profile-groups/event-store';
import { type Collection, type Db } from 'mongodb';

import { membershipFromAdded, projectGroupDefinition, removalChanges } from './projections';
import {
  type GroupDefinitionView,
  LIVE_COLLECTIONS,
  type MembershipView,
  type ReadModelCollections,
} from './views';

type AnyEnvelope = EventEnvelope<string, unknown>;

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
      await this.applyMemberAdded(typed);
    } else if (typed.type === 'MemberRemoved') {
      await this.applyMemberRemoved(typed);
    } else {
      await this.applyDefinitionEvent(typed);
    }
  }

  /** Recounts the groups touched since the last flush. Call before committing offsets. */
  async flush(): Promise<void> {
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

  private async applyMemberAdded(event: EnvelopeOf<MemberAdded>) {
    this.touchedGroups.add(event.data.group_definition_id);
    try {
      await this.memberships.insertOne(membershipFromAdded(event));
    } catch (error) {
      // The membership id is unique per add: a duplicate means this event was applied.
      if (!isDuplicateKey(error)) throw error;
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
