import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

import { PageQuery } from '../../http/pagination/page-query.dto';
import { parseQueryBoolean } from '../../http/validation/input-values';
import { said } from '../../http/validation/messages';

const BOOLEAN_MESSAGE = said('The :field field must be true, false, 1 or 0.');

export class ListSnapshotProfilesParams extends PageQuery {
  @IsOptional()
  @Transform(({ value }) => parseQueryBoolean(value))
  @IsBoolean({ message: BOOLEAN_MESSAGE })
  included?: boolean;

  @IsOptional()
  @Transform(({ value }) => parseQueryBoolean(value))
  @IsBoolean({ message: BOOLEAN_MESSAGE })
  changed?: boolean;
}
