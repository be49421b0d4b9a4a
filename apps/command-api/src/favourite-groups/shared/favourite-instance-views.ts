import { Inject, Injectable } from '@nestjs/common';
import { type DefinitionWithRefresh, ReadModelQueries } from '@profile-groups/read-models';

import { GroupDefinitionViews } from '../../group-definitions/shared/group-definition-views';
import { parseGroupReference } from '../../group-definitions/shared/group-reference';
import { groupNotFound } from '../../group-definitions/shared/group-targets';
import { HandleRegistry } from '../../infrastructure/handle-registry';
import { FAVOURITE_INSTANCES, GROUP_HANDLES } from '../../infrastructure/tokens';
import { instanceKey } from './instance-claims';

/**
 * Finds the read-model view of a profile's favourite instance, named as the write
 * side names it (`FavouriteInstances`). The claims fill in what the read model may
 * not have yet: an instance just activated, a handle just given.
 */
@Injectable()
export class FavouriteInstanceViews {
  constructor(
    private readonly queries: ReadModelQueries,
    private readonly views: GroupDefinitionViews,
    @Inject(GROUP_HANDLES) private readonly handles: HandleRegistry,
    @Inject(FAVOURITE_INSTANCES) private readonly instances: HandleRegistry,
  ) {}

  async find(
    ownerProfileId: string,
    segment: string,
    minVersion?: number,
  ): Promise<DefinitionWithRefresh> {
    const named = await this.named(segment, minVersion);
    if (named.type === 'favourite' && named.owner_profile_id === ownerProfileId) {
      const caughtUp = minVersion === undefined || named.version >= minVersion;

      return caughtUp ? named : this.views.find(String(named.id), minVersion);
    }
    if (named.type !== 'favourite' || named.owner_profile_id !== null) throw groupNotFound();
    const claim = await this.instances.find(instanceKey(named.id, ownerProfileId));
    if (claim === null) throw groupNotFound();
    const instance = await this.views.find(String(claim.owner_id), minVersion);
    if (instance.owner_profile_id !== ownerProfileId) throw groupNotFound();

    return instance;
  }

  /** The group a segment names; one the read model lacks yet is waited for like a write. */
  private async named(segment: string, minVersion?: number): Promise<DefinitionWithRefresh> {
    const reference = parseGroupReference(segment);
    if (reference === null) throw groupNotFound();
    const view =
      reference.kind === 'id'
        ? await this.queries.definitionById(reference.id)
        : await this.queries.definitionByHandle(reference.handle);
    if (view !== null) return view;
    const id =
      reference.kind === 'id'
        ? reference.id
        : (await this.handles.find(reference.handle))?.owner_id;
    if (id === undefined) throw groupNotFound();

    return this.views.find(String(id), minVersion);
  }
}
