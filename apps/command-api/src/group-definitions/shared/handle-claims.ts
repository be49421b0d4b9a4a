import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DomainError } from '@profile-groups/domain';
import { Logger } from '@profile-groups/observability';

import { Clock } from '../../infrastructure/clock';
import { type HandleClaim, HandleRegistry } from '../../infrastructure/handle-registry';
import { GroupDefinitionStreams } from './group-definition-streams';

/**
 * A claim whose owner does not (yet) show the handle is only taken over after this
 * long: until then its owner may be between claiming and appending its event.
 */
export const CLAIM_GRACE_MS = 30_000;

/**
 * Handle uniqueness without transactions. A group claims a handle before the event
 * that gives it the handle is stored, and releases it after the event that drops it
 * is stored. A claim left behind by a crash is taken over once it is stale.
 */
@Injectable()
export class HandleClaims {
  constructor(
    private readonly registry: HandleRegistry,
    private readonly streams: GroupDefinitionStreams,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Claims `handle` for the group; throws `handle_taken` when another group holds it. */
  async claim(handle: string, groupDefinitionId: number): Promise<void> {
    const claim: HandleClaim = {
      _id: handle,
      group_definition_id: groupDefinitionId,
      claim_id: randomUUID(),
      claimed_at: this.clock.now(),
    };
    if (await this.registry.insert(claim)) return;

    const existing = await this.registry.find(handle);
    if (existing?.group_definition_id === groupDefinitionId) return;
    if (existing === null) {
      // Released between our insert and our read: try once more.
      if (await this.registry.insert(claim)) return;
    } else if ((await this.isStale(existing)) && (await this.registry.replace(existing, claim))) {
      this.logger.info('handle.claim_taken_over', {
        handle,
        group_definition_id: groupDefinitionId,
        previous_group_definition_id: existing.group_definition_id,
      });

      return;
    }
    throw taken(handle);
  }

  /** Best effort: a claim left behind is stale and gets taken over later. */
  async release(handle: string, groupDefinitionId: number): Promise<void> {
    try {
      await this.registry.release(handle, groupDefinitionId);
    } catch (error) {
      this.logger.warn('handle.release_failed', {
        handle,
        group_definition_id: groupDefinitionId,
        error,
      });
    }
  }

  private async isStale(claim: HandleClaim): Promise<boolean> {
    const owner = await this.streams.load(claim.group_definition_id);
    if (owner.state?.deleted) return true;
    if (owner.state?.attributes.handle === claim._id) return false;

    return this.clock.now().getTime() - claim.claimed_at.getTime() > CLAIM_GRACE_MS;
  }
}

function taken(handle: string): DomainError {
  const message = `The handle ${handle} is already taken.`;

  return new DomainError('handle_taken', message, { handle: [message] });
}
