import { Controller, Delete, Param } from '@nestjs/common';
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
import { RemoveConnectionCommand } from './remove-connection.command';

@ApiTags(PROFILES_TAG)
@Controller(CONNECTIONS_PATH)
export class RemoveConnectionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':connected')
  @RequireScope('write-profiles')
  @ApiOperation({
    summary: 'Remove the connection from one profile to another',
    description:
      'The connected profile leaves the favourite groups of the profile that it was in ' +
      'through this connection (reason connection); members added by hand stay.',
  })
  @ApiConnectionParams()
  @ApiData(200, ConnectionSchema, 'The removal is durable; type and status are null.')
  @ApiAuthenticated('write-profiles', 404, 422)
  async remove(
    @Param('profile') profile: string,
    @Param('connected') connected: string,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: ConnectionResource }> {
    const [from, to] = parseConnectionPair(profile, connected);

    return { data: await this.commandBus.execute(new RemoveConnectionCommand(from, to, metadata)) };
  }
}
