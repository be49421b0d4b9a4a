import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page, ReadModelQueries } from '@profile-groups/read-models';

import {
  type GroupDefinitionResource,
  resourceFromView,
} from '../../group-definitions/shared/group-definition.resource';
import { ListProfileGroupsQuery } from './list-profile-groups.query';

/**
 * The favourite instances a profile owns, by id; or, with `member`, every group of any
 * type it is a member of now, in the order it joined them.
 */
@QueryHandler(ListProfileGroupsQuery)
export class ListProfileGroupsHandler implements IQueryHandler<ListProfileGroupsQuery> {
  constructor(private readonly queries: ReadModelQueries) {}

  async execute(query: ListProfileGroupsQuery): Promise<Page<GroupDefinitionResource>> {
    if (!query.member) {
      const page = await this.queries.browseDefinitions(
        { owner_profile_id: query.profileId, type: 'favourite' },
        query.page,
      );

      return { ...page, items: page.items.map(resourceFromView) };
    }
    const memberships = await this.queries.membershipsOfProfile(query.profileId, query.page);
    // One keyed read per group of the page: a `$in` over the definitions would make
    // FerretDB fetch the whole collection.
    // TODO: a group the read model does not have yet (its membership event came first)
    // is left out of its page, which then holds fewer items than `total` implies.
    const groups = await Promise.all(
      memberships.items.map((membership) =>
        this.queries.definitionById(membership.group_definition_id),
      ),
    );

    return {
      ...memberships,
      items: groups.flatMap((group) => (group === null ? [] : [resourceFromView(group)])),
    };
  }
}
