import { type Request } from 'express';

import { type Principal } from '../auth/access-tokens';

/** What the HTTP pipeline attaches to a request on its way to a controller. */
export interface ApiRequest extends Request {
  correlationId?: string;
  principal?: Principal;
}

/** The matched route pattern (`/api/v3/groups/definitions/:group`), or null before routing. */
export function routeOf(req: Request): string | null {
  const route = (req as { route?: { path?: unknown } }).route;

  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : null;
}
