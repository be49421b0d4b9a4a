import { Inject, Injectable } from '@nestjs/common';
import { type DefinitionWithRefresh, ReadModelQueries } from '@profile-groups/read-models';

import { type CommandApiConfig } from '../../app.config';
import { HandleRegistry } from '../../infrastructure/handle-registry';
import { COMMAND_API_CONFIG, GROUP_HANDLES } from '../../infrastructure/tokens';
import { parseGroupReference } from './group-reference';
import { groupNotFound } from './group-targets';

/** Finds the read-model view a query's `{group}` segment names. */
@Injectable()
export class GroupDefinitionViews {
  constructor(
    private readonly queries: ReadModelQueries,
    @Inject(GROUP_HANDLES) private readonly handles: HandleRegistry,
    @Inject(COMMAND_API_CONFIG) private readonly config: CommandApiConfig,
  ) {}

  /** The live view, after waiting up to READ_WAIT_TIMEOUT_MS for `minVersion` if given. */
  async find(segment: string, minVersion?: number): Promise<DefinitionWithRefresh> {
    const reference = parseGroupReference(segment);
    if (reference === null) throw groupNotFound();
    const lookup = () =>
      reference.kind === 'id'
        ? this.queries.definitionById(reference.id)
        : this.queries.definitionByHandle(reference.handle);

    if (minVersion !== undefined) {
      // A handle the read model does not know yet may be one just written: the claim
      // names its group, so the wait can be on that group's id.
      const id =
        reference.kind === 'id'
          ? reference.id
          : ((await lookup())?.id ?? (await this.handles.find(reference.handle))?.owner_id);
      if (id !== undefined) {
        await this.queries.waitForDefinitionVersion(
          id,
          minVersion,
          this.config.READ_WAIT_TIMEOUT_MS,
        );
      }
    }
    const view = await lookup();
    if (view === null) throw groupNotFound();

    return view;
  }
}
