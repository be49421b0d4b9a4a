import { IsString, Matches } from 'class-validator';

import { PageQuery } from '../../http/pagination/page-query.dto';
import { said } from '../../http/validation/messages';

export class DiffSnapshotsParams extends PageQuery {
  @IsString({ message: said('The :field field must name a snapshot.') })
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: said('The :field field must name a snapshot.') })
  from!: string;
}
