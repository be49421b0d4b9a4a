import { Module } from '@nestjs/common';

import { GroupDefinitionsModule } from '../group-definitions/group-definitions.module';
import { BrowseRuleDefinitionsController } from './browse-rule-definitions/browse-rule-definitions.controller';
import { BrowseRuleDefinitionsHandler } from './browse-rule-definitions/browse-rule-definitions.handler';
import { CreateRuleDefinitionController } from './create-rule-definition/create-rule-definition.controller';
import { CreateRuleDefinitionHandler } from './create-rule-definition/create-rule-definition.handler';
import { DeleteRuleDefinitionController } from './delete-rule-definition/delete-rule-definition.controller';
import { DeleteRuleDefinitionHandler } from './delete-rule-definition/delete-rule-definition.handler';
import { GetRuleDefinitionController } from './get-rule-definition/get-rule-definition.controller';
import { GetRuleDefinitionHandler } from './get-rule-definition/get-rule-definition.handler';
import { RuleDefinitionHandleClaims } from './shared/rule-definition-handle-claims';
import { RuleDefinitionTargets } from './shared/rule-definition-targets';
import { RuleDefinitionUsage } from './shared/rule-definition-usage';
import { RuleDefinitionViews } from './shared/rule-definition-views';
import { UpdateRuleDefinitionController } from './update-rule-definition/update-rule-definition.controller';
import { UpdateRuleDefinitionHandler } from './update-rule-definition/update-rule-definition.handler';

@Module({
  imports: [GroupDefinitionsModule],
  controllers: [
    BrowseRuleDefinitionsController,
    CreateRuleDefinitionController,
    GetRuleDefinitionController,
    UpdateRuleDefinitionController,
    DeleteRuleDefinitionController,
  ],
  providers: [
    RuleDefinitionHandleClaims,
    RuleDefinitionTargets,
    RuleDefinitionUsage,
    RuleDefinitionViews,
    BrowseRuleDefinitionsHandler,
    CreateRuleDefinitionHandler,
    GetRuleDefinitionHandler,
    UpdateRuleDefinitionHandler,
    DeleteRuleDefinitionHandler,
  ],
})
export class RuleDefinitionsModule {}
