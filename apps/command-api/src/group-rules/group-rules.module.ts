import { Module } from '@nestjs/common';

import { GroupDefinitionsModule } from '../group-definitions/group-definitions.module';
import { AddGroupRuleController } from './add-group-rule/add-group-rule.controller';
import { AddGroupRuleHandler } from './add-group-rule/add-group-rule.handler';
import { ChangeGroupRuleController } from './change-group-rule/change-group-rule.controller';
import { ChangeGroupRuleHandler } from './change-group-rule/change-group-rule.handler';
import { GetGroupRuleController } from './get-group-rule/get-group-rule.controller';
import { GetGroupRuleHandler } from './get-group-rule/get-group-rule.handler';
import { ListGroupRulesController } from './list-group-rules/list-group-rules.controller';
import { ListGroupRulesHandler } from './list-group-rules/list-group-rules.handler';
import { RemoveGroupRuleController } from './remove-group-rule/remove-group-rule.controller';
import { RemoveGroupRuleHandler } from './remove-group-rule/remove-group-rule.handler';

@Module({
  imports: [GroupDefinitionsModule],
  controllers: [
    ListGroupRulesController,
    AddGroupRuleController,
    GetGroupRuleController,
    ChangeGroupRuleController,
    RemoveGroupRuleController,
  ],
  providers: [
    ListGroupRulesHandler,
    AddGroupRuleHandler,
    GetGroupRuleHandler,
    ChangeGroupRuleHandler,
    RemoveGroupRuleHandler,
  ],
})
export class GroupRulesModule {}
