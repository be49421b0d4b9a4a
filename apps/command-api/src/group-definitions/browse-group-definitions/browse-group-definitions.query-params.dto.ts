import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { GROUP_TYPES, type GroupType } from '@profile-groups/contracts';

import { PageQuery } from '../../http/pagination/page-query.dto';
import { parseQueryBoolean } from '../../http/validation/input-values';
import { said } from '../../http/validation/messages';

const BOOLEAN_MESSAGE = said('The :field field must be true, false, 1 or 0.');

export class BrowseGroupDefinitionsParams extends PageQuery {
  @IsOptional()
  @IsIn(GROUP_TYPES, {
    message: said(`The :field field must be one of ${GROUP_TYPES.join(', ')}.`),
  })
  type?: GroupType;

  @IsOptional()
  @Transform(({ value }) => parseQueryBoolean(value))
  @IsBoolean({ message: BOOLEAN_MESSAGE })
  is_active?: boolean;

  @IsOptional()
  @Transform(({ value }) => parseQueryBoolean(value))
  @IsBoolean({ message: BOOLEAN_MESSAGE })
  is_archived?: boolean;

  @IsOptional()
  @IsString({ message: said('The :field field must be a string.') })
  @MaxLength(255, { message: said('The :field field must be at most 255 characters.') })
  handle?: string;

  @IsOptional()
  @IsString({ message: said('The :field field must be a string.') })
  @Length(1, 128, { message: said('The :field field must be 1 to 128 characters.') })
  owner_profile_id?: string;

  @IsOptional()
  @Transform(({ value }) => parseQueryBoolean(value))
  @IsBoolean({ message: BOOLEAN_MESSAGE })
  include_owned?: boolean;
}
