import { type Page, type PageRequest, type ReadModelQueries } from '@profile-groups/read-models';

import { RequestValidationError } from '../../http/errors/api-errors';
import { type GroupProfileResource, profileFromView } from './group-profile.resource';

export interface MemberListOptions {
  readonly includeRemoved: boolean;
  /** ISO 8601 UTC; the memberships in force then instead of now. */
  readonly asOf: string | null;
}

/** One page of a group's members: current ones, all of them, or those in force at `asOf`. */
export async function memberPage(
  queries: ReadModelQueries,
  groupId: number,
  options: MemberListOptions,
  page: PageRequest,
): Promise<Page<GroupProfileResource>> {
  if (options.asOf !== null && options.includeRemoved) {
    throw new RequestValidationError({
      as_of: ['as_of lists the memberships in force at that instant; drop include_removed.'],
    });
  }
  const found =
    options.asOf === null
      ? await queries.members(groupId, { includeRemoved: options.includeRemoved }, page)
      : await queries.membersAsOf(groupId, options.asOf, page);

  return { ...found, items: found.items.map(profileFromView) };
}
