import {
  COMMON_VARIABLES,
  httpVariables,
  ConfigError,
  int,
  oneOf,
  parseConfig,
  type ConfigOf,
  type VariableSpec,
} from '@profile-groups/config';

import {
  type AccessToken,
  authProblems,
  type AuthMode,
  parseAccessTokens,
} from './http/auth/access-tokens';

const AUTH_MODES: readonly AuthMode[] = ['local', 'tokens'];

const accessTokens: VariableSpec<AccessToken[]> = {
  default: [],
  secret: true,
  description:
    'Bearer tokens and their scopes, `token=scope1 scope2;token2=scope`. Callers are named ' +
    '`token-<position>` in events and logs.',
  parse: parseAccessTokens,
};

/** Every variable the command API reads; `description` feeds the docs. */
export const COMMAND_API_VARIABLES = {
  ...COMMON_VARIABLES,
  ...httpVariables(3000, 'the API'),
  AUTH_MODE: oneOf(AUTH_MODES, {
    default: 'local',
    description:
      'local: `local-dev-token` holds every scope (plus AUTH_TOKENS); tokens: only AUTH_TOKENS.',
  }),
  AUTH_TOKENS: accessTokens,
  HTTP_BODY_MAX_BYTES: int({
    // 10,000 profile ids of 128 characters in one member add are about 1.3 MB.
    default: 2_097_152,
    min: 1024,
    max: 16_777_216,
    description:
      'Largest request body, in bytes as received; a larger one gets 413 payload_too_large. ' +
      'The size of each event a request records is bounded by EVENT_MAX_BYTES.',
  }),
  READ_WAIT_TIMEOUT_MS: int({
    default: 2000,
    min: 0,
    max: 60_000,
    description: 'Longest wait of a query with `min_version` for the read model to catch up.',
  }),
  MONGODB_TIMEOUT_MS: int({
    default: 10_000,
    min: 100,
    max: 120_000,
    description:
      'Bound on each wait of a request for MongoDB: to reach a server, for a pooled ' +
      'connection, for a reply. Past it the request answers 503 with Retry-After.',
  }),
} as const;

export type CommandApiConfig = ConfigOf<typeof COMMAND_API_VARIABLES>;

/** Parses the environment; throws a ConfigError listing every bad value. */
export function loadCommandApiConfig(
  env: Record<string, string | undefined> = process.env,
): CommandApiConfig {
  const config = parseConfig(COMMAND_API_VARIABLES, env);
  const problems = authProblems(config.AUTH_MODE, config.AUTH_TOKENS);
  if (problems.length > 0) throw new ConfigError(problems);

  return config;
}
