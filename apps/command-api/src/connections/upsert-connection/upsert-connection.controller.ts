import { Body, Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventMetadata } from '@profile-groups/contracts';

import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { ConnectionSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { PROFILES_TAG } from '../../profiles/shared/profiles.routes';
import { type ConnectionResource } from '../shared/connection.resource';
import {
  ApiConnectionParams,
  CONNECTIONS_PATH,
  parseConnectionPair,
} from '../shared/connections.routes';
import { UpsertConnectionCommand } from './upsert-connection.command';
import { UpsertConnectionRequest } from './upsert-connection.request.dto';

@ApiTags(PROFILES_TAG)
@Controller(CONNECTIONS_PATH)
export class UpsertConnectionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':connected')
  @RequireScope('write-profiles')
  @ApiOperation({
    summary: 'Create or change the connection from one profile to another',
    description:
      'One connection per ordered pair: an upsert replaces its type and status. It reaches ' +
      'the evaluation worker the way upstream connection changes do (the connections ' +
      'topic), and the favourite groups of the profile follow at once: an accepted ' +
      'connection of a group`s source_type adds the connected profile, any other status ' +
      'removes it (unless added by hand). A profile cannot be connected to itself (422).',
  })
  @ApiConnectionParams()
  @ApiData(200, ConnectionSchema, 'The connection as stored; the event is durable.')
  @ApiAuthenticated('write-profiles', 400, 413, 422)
  async upsert(
    @Param('profile') profile: string,
    @Param('connected') connected: string,
    @Body() request: UpsertConnectionRequest,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: ConnectionResource }> {
    const [from, to] = parseConnectionPair(profile, connected);
    const command = new UpsertConnectionCommand(from, to, request.type, request.status, metadata);

    return { data: await this.commandBus.execute(command) };
  }
}
