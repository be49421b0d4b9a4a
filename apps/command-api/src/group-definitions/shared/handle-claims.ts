import { Inject, Injectable } from '@nestjs/common';
import { Logger } from '@profile-groups/observability';

import { Clock } from '../../infrastructure/clock';
import { HandleClaims } from '../../infrastructure/handle-claims';
import { HandleRegistry } from '../../infrastructure/handle-registry';
import { GROUP_HANDLES } from '../../infrastructure/tokens';
import { GroupDefinitionStreams } from './group-definition-streams';

/** Claims of group handles; a claim's owner is a group definition stream. */
@Injectable()
export class GroupHandleClaims extends HandleClaims {
  constructor(
    @Inject(GROUP_HANDLES) registry: HandleRegistry,
    streams: GroupDefinitionStreams,
    clock: Clock,
    logger: Logger,
  ) {
    super(
      registry,
      async (id) => {
        const { state } = await streams.load(id);

        return state === null ? null : { handle: state.attributes.handle, deleted: state.deleted };
      },
      clock,
      logger,
    );
  }
}
