import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiPage } from '../../http/openapi/api-docs.decorators';
import { HistoryEventSchema } from '../../http/openapi/schemas';
import { ApiPageParams } from '../../http/pagination/page-params.docs';
import { PageQuery, pageRequestOf } from '../../http/pagination/page-query.dto';
import { paginate, type Paginated } from '../../http/pagination/paginate';
import {
  RawQuery,
  RequestedLocation,
  type RequestLocation,
} from '../../http/request/request.decorators';
import { ApiProfileParam, ProfileSegment } from '../../profiles/shared/profiles.routes';
import { HISTORY_TAG } from '../shared/history.routes';
import { type HistoryEventResource } from '../shared/history-event.resource';
import { ProfileHistoryQuery } from './profile-history.query';

// Registered before the profile-owned group routes, so that `history` is never read as a
// `{group}` segment.
@ApiTags(HISTORY_TAG)
@Controller('v3/profiles/:profile/groups/history')
export class ProfileHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScope('read-group-definitions')
  @ApiOperation({
    summary: 'Every membership event of a profile, in any group, oldest first',
    description:
      'From the event store: each MemberAdded and MemberRemoved of the profile with its ' +
      'reason, actor, correlation and causation ids.',
  })
  @ApiProfileParam()
  @ApiPageParams()
  @ApiPage(HistoryEventSchema, 'One page of events.')
  @ApiAuthenticated('read-group-definitions', 422)
  async list(
    @Param('profile', ProfileSegment) profile: string,
    @RawQuery() params: PageQuery,
    @RequestedLocation() location: RequestLocation,
  ): Promise<Paginated<HistoryEventResource>> {
    const query = new ProfileHistoryQuery(profile, pageRequestOf(params));

    return paginate(await this.queryBus.execute(query), location, (item) => item);
  }
}
