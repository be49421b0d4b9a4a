import { Inject, Injectable } from '@nestjs/common';
import { Logger } from '@profile-groups/observability';

import { RuleDefinitionStreams } from '../../group-definitions/shared/rule-definition-streams';
import { Clock } from '../../infrastructure/clock';
import { HandleClaims } from '../../infrastructure/handle-claims';
import { HandleRegistry } from '../../infrastructure/handle-registry';
import { RULE_DEFINITION_HANDLES } from '../../infrastructure/tokens';

/** Claims of rule definition handles, a namespace apart from group handles. */
@Injectable()
export class RuleDefinitionHandleClaims extends HandleClaims {
  constructor(
    @Inject(RULE_DEFINITION_HANDLES) registry: HandleRegistry,
    streams: RuleDefinitionStreams,
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
