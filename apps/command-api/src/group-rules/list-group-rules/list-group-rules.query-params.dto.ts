import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

import { PageQuery } from '../../http/pagination/page-query.dto';
import { parseQueryInteger } from '../../http/validation/input-values';
import { said } from '../../http/validation/messages';

export class ListGroupRulesParams extends PageQuery {
  @IsOptional()
  @Transform(({ value }) => parseQueryInteger(value))
  @IsInt({ message: said('The :field field must be a whole number.') })
  @Min(1, { message: said('The :field field must be at least 1.') })
  min_version?: number;
}
