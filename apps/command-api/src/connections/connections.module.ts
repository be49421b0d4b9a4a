import { Module } from '@nestjs/common';

import { GroupDefinitionsModule } from '../group-definitions/group-definitions.module';
import { RemoveConnectionController } from './remove-connection/remove-connection.controller';
import { RemoveConnectionHandler } from './remove-connection/remove-connection.handler';
import { ConnectionStreams } from './shared/connection-streams';
import { UpsertConnectionController } from './upsert-connection/upsert-connection.controller';
import { UpsertConnectionHandler } from './upsert-connection/upsert-connection.handler';

/** Connection input over HTTP, for demos and small integrations (API.md, Profile input). */
@Module({
  imports: [GroupDefinitionsModule],
  controllers: [UpsertConnectionController, RemoveConnectionController],
  providers: [ConnectionStreams, UpsertConnectionHandler, RemoveConnectionHandler],
})
export class ConnectionsModule {}
