import { Controller, type ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { MissingScopeError, UnauthenticatedError } from '../errors/api-errors';
import { type ApiRequest } from '../request/api-request';
import { AccessTokens, authProblems, LOCAL_DEV_TOKEN, parseAccessTokens } from './access-tokens';
import { PublicRoute, RequireScope } from './auth.decorators';
import { BearerAuthGuard } from './bearer-auth.guard';

@Controller()
class Routes {
  @Get() @RequireScope('update-group-definitions') update(): void {}
  @Get() @PublicRoute() health(): void {}
}

function contextFor(
  handler: keyof Routes,
  authorization?: string,
): { context: ExecutionContext; req: ApiRequest } {
  const req = {
    get: (name: string) => (name === 'authorization' ? authorization : undefined),
  } as ApiRequest;
  const context = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;

  return { context, req };
}

function guard(mode: 'local' | 'tokens', tokens = ''): BearerAuthGuard {
  return new BearerAuthGuard(new Reflector(), new AccessTokens(mode, parseAccessTokens(tokens)));
}

describe('BearerAuthGuard', () => {
  it('answers 401 without a token or with an unknown one', () => {
    const local = guard('local');

    expect(() => local.canActivate(contextFor('update').context)).toThrow(UnauthenticatedError);
    expect(() => local.canActivate(contextFor('update', 'Bearer nope').context)).toThrow(
      UnauthenticatedError,
    );
    expect(() => local.canActivate(contextFor('update', LOCAL_DEV_TOKEN).context)).toThrow(
      UnauthenticatedError,
    );
  });

  it('answers 403 naming the scope the token lacks', () => {
    const tokens = guard('tokens', 'reader=read-group-definitions');

    expect(() => tokens.canActivate(contextFor('update', 'Bearer reader').context)).toThrow(
      new MissingScopeError('update-group-definitions'),
    );
  });

  it('lets a token with the scope through and records who it is', () => {
    const tokens = guard('tokens', 'reader=read-group-definitions;writer=update-group-definitions');
    const { context, req } = contextFor('update', 'Bearer writer');

    expect(tokens.canActivate(context)).toBe(true);
    expect(req.principal?.subject).toBe('token-2');
  });

  it('grants local-dev-token every scope in local mode only', () => {
    const local = contextFor('update', `Bearer ${LOCAL_DEV_TOKEN}`);

    expect(guard('local').canActivate(local.context)).toBe(true);
    expect(local.req.principal?.subject).toBe('local-dev');
    expect(() =>
      guard('tokens', 'other=read-group-definitions').canActivate(
        contextFor('update', `Bearer ${LOCAL_DEV_TOKEN}`).context,
      ),
    ).toThrow(UnauthenticatedError);
  });

  it('refuses local-dev-token in tokens mode even when AUTH_TOKENS lists it', () => {
    const listed = `${LOCAL_DEV_TOKEN}=update-group-definitions`;

    expect(() =>
      guard('tokens', listed).canActivate(
        contextFor('update', `Bearer ${LOCAL_DEV_TOKEN}`).context,
      ),
    ).toThrow(UnauthenticatedError);
    expect(authProblems('tokens', parseAccessTokens(listed))).toEqual([
      `AUTH_TOKENS entry 1 is ${LOCAL_DEV_TOKEN}, which AUTH_MODE=tokens refuses`,
    ]);
  });

  it('lets anyone reach a public route', () => {
    expect(
      guard('tokens', 'a=read-group-definitions').canActivate(contextFor('health').context),
    ).toBe(true);
  });
});

describe('parseAccessTokens', () => {
  it('reads tokens, scopes and positional subjects', () => {
    expect(
      parseAccessTokens(' a=read-group-definitions update-group-definitions ; b=write-profiles;'),
    ).toEqual([
      {
        token: 'a',
        subject: 'token-1',
        scopes: ['read-group-definitions', 'update-group-definitions'],
      },
      { token: 'b', subject: 'token-2', scopes: ['write-profiles'] },
    ]);
  });

  it.each([
    ['=read-group-definitions', /entry 1 is not token=scope/],
    ['a=', /entry 1 grants no scope/],
    ['a=read-group-definitions;a=write-profiles', /entry 2 repeats/],
    ['a=read-everything', /entry 1 has unknown scope read-everything/],
  ])('refuses %p without echoing a token', (raw, message) => {
    expect(() => parseAccessTokens(raw)).toThrow(message);
  });
});
