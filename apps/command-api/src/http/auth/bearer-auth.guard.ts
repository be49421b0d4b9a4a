import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { MissingScopeError, UnauthenticatedError } from '../errors/api-errors';
import { type ApiRequest } from '../request/api-request';
import { AccessTokens } from './access-tokens';
import { PUBLIC_ROUTE, REQUIRED_SCOPE } from './auth.decorators';
import { type Scope } from './scopes';

/**
 * Global guard: every route needs a valid bearer token unless it is marked public,
 * and the scope it declares with `@RequireScope`.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const req = context.switchToHttp().getRequest<ApiRequest>();
    const principal = this.tokens.authenticate(req.get('authorization'));
    if (principal === null) throw new UnauthenticatedError();
    req.principal = principal;

    const scope = this.reflector.getAllAndOverride<Scope | undefined>(REQUIRED_SCOPE, targets);
    if (scope !== undefined && !principal.scopes.has(scope)) throw new MissingScopeError(scope);

    return true;
  }
}
