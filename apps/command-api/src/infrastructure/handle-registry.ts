import { type Collection, type Db, MongoServerError } from 'mongodb';
import { isDuplicateKey } from '@profile-groups/event-store';

export const HANDLES_COLLECTION = 'group_handles';
const NAMESPACE_EXISTS = 48;

/** Who holds a handle. `_id` is the handle, so MongoDB's unique `_id` makes claims exclusive. */
export interface HandleClaim {
  _id: string;
  group_definition_id: number;
  /** Changes on every take-over, so a take-over is conditional on the claim it replaces. */
  claim_id: string;
  claimed_at: Date;
}

/**
 * Command-side store of handle claims, the uniqueness check that FerretDB's lack of
 * transactions leaves to us. Single-document operations with equality filters only.
 */
export class HandleRegistry {
  private readonly claims: Collection<HandleClaim>;

  constructor(private readonly db: Db) {
    this.claims = db.collection<HandleClaim>(HANDLES_COLLECTION);
  }

  async ensureCollection(): Promise<void> {
    try {
      await this.db.createCollection(HANDLES_COLLECTION);
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
    }
  }

  async find(handle: string): Promise<HandleClaim | null> {
    return this.claims.findOne({ _id: handle });
  }

  /** Inserts the claim; false when the handle is already claimed. */
  async insert(claim: HandleClaim): Promise<boolean> {
    try {
      await this.claims.insertOne(claim);

      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Replaces `previous` with `next`; false when someone else replaced it first. */
  async replace(previous: HandleClaim, next: HandleClaim): Promise<boolean> {
    const result = await this.claims.updateOne(
      { _id: previous._id, claim_id: previous.claim_id },
      {
        $set: {
          group_definition_id: next.group_definition_id,
          claim_id: next.claim_id,
          claimed_at: next.claimed_at,
        },
      },
    );

    return result.modifiedCount === 1;
  }

  /** Removes the claim if the group still holds it. */
  async release(handle: string, groupDefinitionId: number): Promise<void> {
    await this.claims.deleteOne({ _id: handle, group_definition_id: groupDefinitionId });
  }
}
