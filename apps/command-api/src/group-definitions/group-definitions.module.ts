import { Module } from '@nestjs/common';

import { BrowseGroupDefinitionsController } from './browse-group-definitions/browse-group-definitions.controller';
import { BrowseGroupDefinitionsHandler } from './browse-group-definitions/browse-group-definitions.handler';
import { CreateGroupDefinitionController } from './create-group-definition/create-group-definition.controller';
import { CreateGroupDefinitionHandler } from './create-group-definition/create-group-definition.handler';
import { DeleteGroupDefinitionController } from './delete-group-definition/delete-group-definition.controller';
import { DeleteGroupDefinitionHandler } from './delete-group-definition/delete-group-definition.handler';
import { GetGroupDefinitionController } from './get-group-definition/get-group-definition.controller';
import { GetGroupDefinitionHandler } from './get-group-definition/get-group-definition.handler';
import { ConcurrencyPolicy } from './shared/concurrency';
import { GroupDefinitionStreams } from './shared/group-definition-streams';
import { GroupDefinitionViews } from './shared/group-definition-views';
import { GroupTargets } from './shared/group-targets';
import { GroupHandleClaims } from './shared/handle-claims';
import { RuleDefinitionStreams } from './shared/rule-definition-streams';
import { UpdateGroupDefinitionController } from './update-group-definition/update-group-definition.controller';
import { UpdateGroupDefinitionHandler } from './update-group-definition/update-group-definition.handler';

const shared = [
  ConcurrencyPolicy,
  GroupDefinitionStreams,
  GroupDefinitionViews,
  GroupTargets,
  GroupHandleClaims,
  RuleDefinitionStreams,
];

@Module({
  controllers: [
    BrowseGroupDefinitionsController,
    CreateGroupDefinitionController,
    GetGroupDefinitionController,
    UpdateGroupDefinitionController,
    DeleteGroupDefinitionController,
  ],
  providers: [
    ...shared,
    BrowseGroupDefinitionsHandler,
    CreateGroupDefinitionHandler,
    GetGroupDefinitionHandler,
    UpdateGroupDefinitionHandler,
    DeleteGroupDefinitionHandler,
  ],
  exports: shared,
})
export class GroupDefinitionsModule {}
