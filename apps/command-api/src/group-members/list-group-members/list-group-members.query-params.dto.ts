import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

import { PageQuery } from '../../http/pagination/page-query.dto';
import { IsTimestamp } from '../../http/validation/field.decorators';
import { parseQueryBoolean } from '../../http/validation/input-values';
import { said } from '../../http/validation/messages';

export class ListGroupMembersParams extends PageQuery {
  @IsOptional()
  @Transform(({ value }) => parseQueryBoolean(value))
  @IsBoolean({ message: said('The :field field must be true, false, 1 or 0.') })
  include_removed?: boolean;

  /** The memberships in force at that instant (ISO 8601 or `YYYY-MM-DD HH:MM:SS`, UTC). */
  @IsOptional()
  @IsTimestamp()
  as_of?: string;
}
