import { type Collection, type Db, type Filter, MongoServerError } from 'mongodb';
import { isDuplicateKey } from '@profile-groups/event-store';

/** Where one kind of handle is claimed, and the field naming the owner in a claim. */
export interface HandleNamespace {
  readonly collection: string;
  readonly ownerField: string;
}

/** Group handles and rule definition handles are unique each in their own namespace. */
export const GROUP_HANDLE_NAMESPACE: HandleNamespace = {
  collection: 'group_handles',
  ownerField: 'group_definition_id',
};
export const RULE_DEFINITION_HANDLE_NAMESPACE: HandleNamespace = {
  collection: 'rule_definition_handles',
  ownerField: 'rule_definition_id',
};
/**
 * The instance each profile has of each favourite definition: the "handle" is
 * `<definition id>@<owner profile id>`, its owner the instance. A claim keyed by the
 * definition's id, not its handle, stays right when the definition is renamed.
 */
export const FAVOURITE_INSTANCE_NAMESPACE: HandleNamespace = {
  collection: 'favourite_instances',
  ownerField: 'group_definition_id',
};
const NAMESPACE_EXISTS = 48;

/** Who holds a handle. `_id` is the handle, so MongoDB's unique `_id` makes claims exclusive. */
export interface HandleClaim {
  _id: string;
  /** The numeric id of the group (or rule definition) holding the handle. */
  owner_id: number;
  /** Changes on every take-over, so a take-over is conditional on the claim it replaces. */
  claim_id: string;
  claimed_at: Date;
}

/** A claim as stored: the owner sits in the namespace's own field. */
interface StoredClaim {
  _id: string;
  claim_id: string;
  claimed_at: Date;
  [ownerField: string]: unknown;
}

/**
 * Command-side store of handle claims in one namespace, the uniqueness check that
 * FerretDB's lack of transactions leaves to us. Single-document operations with
 * equality filters only. A stored claim names its owner by the namespace's field
 * (`group_definition_id`, `rule_definition_id`).
 */
export class HandleRegistry {
  private readonly claims: Collection<StoredClaim>;

  constructor(
    private readonly db: Db,
    private readonly namespace: HandleNamespace,
  ) {
    this.claims = db.collection<StoredClaim>(namespace.collection);
  }

  async ensureCollection(): Promise<void> {
    try {
      await this.db.createCollection(this.namespace.collection);
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
    }
  }

  async find(handle: string): Promise<HandleClaim | null> {
    const stored = await this.claims.findOne({ _id: handle });

    return stored === null
      ? null
      : {
          _id: handle,
          owner_id: stored[this.namespace.ownerField] as number,
          claim_id: stored.claim_id,
          claimed_at: stored.claimed_at,
        };
  }

  /** Inserts the claim; false when the handle is already claimed. */
  async insert(claim: HandleClaim): Promise<boolean> {
    try {
      await this.claims.insertOne({
        _id: claim._id,
        [this.namespace.ownerField]: claim.owner_id,
        claim_id: claim.claim_id,
        claimed_at: claim.claimed_at,
      });

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
          [this.namespace.ownerField]: next.owner_id,
          claim_id: next.claim_id,
          claimed_at: next.claimed_at,
        },
      },
    );

    return result.modifiedCount === 1;
  }

  /** Removes the claim if the owner still holds it. */
  async release(handle: string, ownerId: number): Promise<void> {
    const held = { _id: handle, [this.namespace.ownerField]: ownerId } as Filter<StoredClaim>;
    await this.claims.deleteOne(held);
  }
}
