import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

import { PageQuery } from '../../http/pagination/page-query.dto';
import { parseQueryBoolean } from '../../http/validation/input-values';
import { said } from '../../http/validation/messages';

// TODO: accept `as_of` (API.md) once a read model can answer membership at a past
// instant; until then the parameter is refused as unknown (422).
export class ListGroupMembersParams extends PageQuery {
  @IsOptional()
  @Transform(({ value }) => parseQueryBoolean(value))
  @IsBoolean({ message: said('The :field field must be true, false, 1 or 0.') })
  include_removed?: boolean;
}
