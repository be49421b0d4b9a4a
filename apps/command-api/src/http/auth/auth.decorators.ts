import { SetMetadata } from '@nestjs/common';

import { type Scope } from './scopes';

export const REQUIRED_SCOPE = 'profile-groups:required-scope';
export const PUBLIC_ROUTE = 'profile-groups:public-route';

/** The scope a bearer token needs for this route. */
export const RequireScope = (scope: Scope) => SetMetadata(REQUIRED_SCOPE, scope);

/** A route anyone may call without a token (health). */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);
