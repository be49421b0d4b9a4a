import { type JsonObject, type PeriodType } from '@profile-groups/contracts';

import {
  NullableObject,
  NullablePeriod,
  NullablePeriodType,
  NullableProfileId,
  NullableText,
  NullableTimestamp,
  QueryTypeField,
} from './group-definition.fields';

/** The nullable attributes and the flags, alike in create and edit requests. */
export class GroupDefinitionOptionalFields {
  @NullableText(255) source_type?: string | null;
  @NullableText(255) source_id?: string | null;
  @NullableObject(
    'JSONLogic rule every member must also satisfy; kept exactly as sent. A favourite ' +
      'group takes none (422, error code query_not_supported).',
  )
  query?: JsonObject | null;
  @QueryTypeField() query_type?: 'jsonlogic' | null;
  @NullableObject('Default argument values for all rules of the group.')
  arguments?: JsonObject | null;
  @NullablePeriod() period?: number | null;
  @NullablePeriodType() period_type?: PeriodType | null;
  @NullableTimestamp() absolute_expiry?: string | null;
  @NullablePeriod() refresh_period?: number | null;
  @NullablePeriodType() refresh_period_type?: PeriodType | null;
  @NullableTimestamp() refresh_absolute_expiry?: string | null;
  @NullableText(255) short_description?: string | null;
  @NullableText(10_000) description?: string | null;
  @NullableProfileId() owner_profile_id?: string | null;
  @NullableObject('Free-form data kept with the group.') meta?: JsonObject | null;
}
