import { Inject, Injectable } from '@nestjs/common';
import { instanceOwner } from '@profile-groups/domain';
import { Logger } from '@profile-groups/observability';

import { GroupDefinitionStreams } from '../../group-definitions/shared/group-definition-streams';
import { Clock } from '../../infrastructure/clock';
import { HandleClaims } from '../../infrastructure/handle-claims';
import { HandleRegistry } from '../../infrastructure/handle-registry';
import { FAVOURITE_INSTANCES } from '../../infrastructure/tokens';

/** The claim that makes an instance the only one of its definition for its owner. */
export function instanceKey(favouriteDefinitionId: number, ownerProfileId: string): string {
  return `${favouriteDefinitionId}@${ownerProfileId}`;
}

/**
 * Claims of (favourite definition, owner) pairs, held by the instance they have. Taken
 * before the instance's first event is stored and released after its deletion, like a
 * handle; a claim whose instance was deleted or never came to exist is taken over.
 */
@Injectable()
export class FavouriteInstanceClaims extends HandleClaims {
  constructor(
    @Inject(FAVOURITE_INSTANCES) registry: HandleRegistry,
    streams: GroupDefinitionStreams,
    clock: Clock,
    logger: Logger,
  ) {
    super(
      registry,
      async (id) => {
        const { state } = await streams.load(id);
        const owner = instanceOwner(state);
        if (state === null || owner === null) return null;

        return { handle: `${state.attributes.source_id}@${owner}`, deleted: state.deleted };
      },
      clock,
      logger,
    );
  }
}
