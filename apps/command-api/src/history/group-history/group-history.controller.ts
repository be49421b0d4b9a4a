import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import {
  ApiGroupParam,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
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
import { HISTORY_TAG } from '../shared/history.routes';
import { type HistoryEventResource } from '../shared/history-event.resource';
import { GroupHistoryQuery } from './group-history.query';

@ApiTags(HISTORY_TAG)
@Controller('v3/groups/definitions/:group/history')
export class GroupHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScope('read-group-definitions')
  @ApiOperation({
    summary: 'Every event of a group, oldest first: who did what, when and why',
    description:
      'From the event store: the definition and its rules, evaluation runs and every ' +
      'membership event, each stream in version order, with actor, correlation and ' +
      'causation ids. A deleted group keeps its history; ask for it by id. A page costs ' +
      'about what it holds, however long the history: the outbox relay keeps a paged ' +
      'index of it as it publishes, so an event shows moments after its write.',
  })
  @ApiGroupParam()
  @ApiPageParams()
  @ApiPage(HistoryEventSchema, 'One page of events.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async list(
    @Param('group', GroupSegment) group: string,
    @RawQuery() params: PageQuery,
    @RequestedLocation() location: RequestLocation,
  ): Promise<Paginated<HistoryEventResource>> {
    const query = new GroupHistoryQuery(group, pageRequestOf(params));

    return paginate(await this.queryBus.execute(query), location, (item) => item);
  }
}
