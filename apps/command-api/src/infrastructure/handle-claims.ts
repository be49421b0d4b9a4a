import { randomUUID } from 'node:crypto';

import { DomainError } from '@profile-groups/domain';
import { type Logger } from '@profile-groups/observability';

import { type Clock } from './clock';
import { type HandleClaim, type HandleRegistry } from './handle-registry';

/**
 * A claim whose owner does not (yet) show the handle is only taken over after this
 * long: until then its owner may be between claiming and appending its event.
 * TODO: a create repeated after a 503 claims under a new id and meets its own failed
 * attempt's claim as handle_taken for this long; an idempotency key would let it match.
 */
export const CLAIM_GRACE_MS = 30_000;

/** What the event store says of a claim's owner: null when it never came to exist. */
export type OwnerLookup = (
  ownerId: number,
) => Promise<{ readonly handle: string; readonly deleted: boolean } | null>;

/**
 * Handle uniqueness without transactions. An owner claims a handle before the event
 * that gives it the handle is stored, and releases it after the event that drops it
 * is stored. A claim left behind by a crash is taken over once it is stale.
 */
export class HandleClaims {
  constructor(
    private readonly registry: HandleRegistry,
    private readonly owner: OwnerLookup,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Claims `handle` for the owner; throws `handle_taken` when another one holds it. */
  async claim(handle: string, ownerId: number): Promise<void> {
    const claim: HandleClaim = {
      _id: handle,
      owner_id: ownerId,
      claim_id: randomUUID(),
      claimed_at: this.clock.now(),
    };
    if (await this.registry.insert(claim)) return;

    const existing = await this.registry.find(handle);
    if (existing?.owner_id === ownerId) return;
    if (existing === null) {
      // Released between our insert and our read: try once more.
      if (await this.registry.insert(claim)) return;
    } else if ((await this.isStale(existing)) && (await this.registry.replace(existing, claim))) {
      this.logger.info('handle.claim_taken_over', {
        handle,
        owner_id: ownerId,
        previous_owner_id: existing.owner_id,
      });

      return;
    }
    throw taken(handle);
  }

  /** Best effort: a claim left behind is stale and gets taken over later. */
  async release(handle: string, ownerId: number): Promise<void> {
    try {
      await this.registry.release(handle, ownerId);
    } catch (error) {
      this.logger.warn('handle.release_failed', { handle, owner_id: ownerId, error });
    }
  }

  private async isStale(claim: HandleClaim): Promise<boolean> {
    const owner = await this.owner(claim.owner_id);
    if (owner?.deleted) return true;
    if (owner?.handle === claim._id) return false;

    return this.clock.now().getTime() - claim.claimed_at.getTime() > CLAIM_GRACE_MS;
  }
}

function taken(handle: string): DomainError {
  const message = `The handle ${handle} is already taken.`;

  return new DomainError('handle_taken', message, { handle: [message] });
}
