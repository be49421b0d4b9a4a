import { Inject, Injectable } from '@nestjs/common';
import { ReadModelQueries, type RuleDefinitionView } from '@profile-groups/read-models';

import { type CommandApiConfig } from '../../app.config';
import { parseGroupReference } from '../../group-definitions/shared/group-reference';
import { HandleRegistry } from '../../infrastructure/handle-registry';
import { COMMAND_API_CONFIG, RULE_DEFINITION_HANDLES } from '../../infrastructure/tokens';
import { ruleDefinitionNotFound } from './rule-definition-targets';

/** Finds the read-model view a query's `{ruleDefinition}` segment names. */
@Injectable()
export class RuleDefinitionViews {
  constructor(
    private readonly queries: ReadModelQueries,
    @Inject(RULE_DEFINITION_HANDLES) private readonly handles: HandleRegistry,
    @Inject(COMMAND_API_CONFIG) private readonly config: CommandApiConfig,
  ) {}

  /** The live view, after waiting up to READ_WAIT_TIMEOUT_MS for `minVersion` if given. */
  async find(segment: string, minVersion?: number): Promise<RuleDefinitionView> {
    const reference = parseGroupReference(segment);
    if (reference === null) throw ruleDefinitionNotFound();
    const lookup = () =>
      reference.kind === 'id'
        ? this.queries.ruleDefinitionById(reference.id)
        : this.queries.ruleDefinitionByHandle(reference.handle);
    if (minVersion !== undefined) {
      const id =
        reference.kind === 'id'
          ? reference.id
          : ((await lookup())?.id ?? (await this.handles.find(reference.handle))?.owner_id);
      if (id !== undefined) {
        await this.queries.waitForRuleDefinitionVersion(
          id,
          minVersion,
          this.config.READ_WAIT_TIMEOUT_MS,
        );
      }
    }
    const view = await lookup();
    if (view === null) throw ruleDefinitionNotFound();

    return view;
  }
}
