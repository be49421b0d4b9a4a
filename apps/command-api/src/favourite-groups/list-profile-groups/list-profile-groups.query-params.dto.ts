import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

import { PageQuery } from '../../http/pagination/page-query.dto';
import { parseQueryBoolean } from '../../http/validation/input-values';
import { said } from '../../http/validation/messages';

export class ListProfileGroupsParams extends PageQuery {
  @IsOptional()
  @Transform(({ value }) => parseQueryBoolean(value))
  @IsBoolean({ message: said('The :field field must be true, false, 1 or 0.') })
  member?: boolean;
}
