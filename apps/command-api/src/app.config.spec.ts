import { ConfigError } from '@profile-groups/config';

import { undocumentedVariables } from '@profile-groups/testing';

import { COMMAND_API_VARIABLES, loadCommandApiConfig } from './app.config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadCommandApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadCommandApiConfig', () => {
  it('documents every variable in docs/configuration.md', () => {
    expect(undocumentedVariables(COMMAND_API_VARIABLES)).toEqual([]);
  });

  it('has a default for every command API variable', () => {
    const config = loadCommandApiConfig({});

    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      AUTH_MODE: 'local',
      AUTH_TOKENS: [],
      READ_WAIT_TIMEOUT_MS: 2000,
      HTTP_BODY_MAX_BYTES: 2_097_152,
      EVENT_MAX_BYTES: 524_288,
    });
  });

  it('lists every bad variable at once, hiding secret values', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      AUTH_MODE: 'open',
      AUTH_TOKENS: 'supersecret=fly',
      READ_WAIT_TIMEOUT_MS: '-5',
      HTTP_BODY_MAX_BYTES: '2mb',
      EVENT_MAX_BYTES: '100',
    });

    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(
      /EVENT_MAX_BYTES=.*PORT=.*AUTH_MODE=.*AUTH_TOKENS=.*HTTP_BODY_MAX_BYTES=.*READ_WAIT_TIMEOUT_MS=/s,
    );
    expect(problems.join('\n')).not.toContain('supersecret');
  });

  it('refuses to start in tokens mode with local-dev-token listed, or with no token', () => {
    expect(
      problemsOf({ AUTH_MODE: 'tokens', AUTH_TOKENS: 'local-dev-token=read-group-definitions' }),
    ).toEqual(['AUTH_TOKENS entry 1 is local-dev-token, which AUTH_MODE=tokens refuses']);
    expect(problemsOf({ AUTH_MODE: 'tokens' })).toEqual([
      'AUTH_TOKENS is required when AUTH_MODE=tokens',
    ]);
  });
});
