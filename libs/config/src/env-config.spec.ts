import { bool, ConfigError, int, list, oneOf, parseConfig, str } from './env-config';
import { COMMON_VARIABLES, RELAY_VARIABLES } from './shared-variables';

/** Parses and returns the ConfigError, failing if the environment is accepted. */
function problemsWith(spec: Parameters<typeof parseConfig>[0], env: Record<string, string>) {
  try {
    parseConfig(spec, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseConfig', () => {
  it('gives every shared variable its default in an empty environment', () => {
    expect(parseConfig({ ...COMMON_VARIABLES, ...RELAY_VARIABLES }, {})).toEqual({
      LOG_LEVEL: 'info',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_CLIENT_ID: 'profile-groups',
      KAFKA_TOPIC_PREFIX: 'profile-groups.',
      KAFKA_TOPIC_PARTITIONS: 6,
      KAFKA_CONSUMER_GROUP_PREFIX: 'profile-groups.',
      CONSUMER_MAX_ATTEMPTS: 5,
      CONSUMER_RETRY_BASE_MS: 200,
      EVENT_MAX_BYTES: 524_288,
      KAFKA_MAX_MESSAGE_BYTES: 1_048_576,
      MONGODB_URL: 'mongodb://127.0.0.1:27017/',
      MONGODB_DATABASE: 'profile-groups',
      PROJECTIONS_ENABLED: true,
      RELAY_ENABLED: true,
      RELAY_POLL_INTERVAL_MS: 50,
      RELAY_INTENT_GRACE_MS: 30_000,
    });
  });

  it('treats an empty value as unset', () => {
    expect(
      parseConfig(COMMON_VARIABLES, { KAFKA_TOPIC_PARTITIONS: '' }).KAFKA_TOPIC_PARTITIONS,
    ).toBe(6);
  });

  it('parses the values the environment gives', () => {
    const config = parseConfig(COMMON_VARIABLES, {
      LOG_LEVEL: 'debug',
      KAFKA_BROKERS: 'kafka-0:9092, kafka-1:9092',
      KAFKA_TOPIC_PARTITIONS: '12',
      MONGODB_DATABASE: 'pg_test-1',
    });

    expect(config).toMatchObject({
      LOG_LEVEL: 'debug',
      KAFKA_BROKERS: ['kafka-0:9092', 'kafka-1:9092'],
      KAFKA_TOPIC_PARTITIONS: 12,
      MONGODB_DATABASE: 'pg_test-1',
    });
  });

  it('ignores variables it does not declare', () => {
    const config = parseConfig(
      { PORT: int({ default: 3000, description: 'HTTP port.' }) },
      {
        PORT: '8080',
        HOME: '/root',
      },
    );

    expect(config).toEqual({ PORT: 8080 });
  });

  it('reports a required variable that is missing, with its description', () => {
    const error = problemsWith({ API_TOKEN_ISSUER: str({ description: 'Who signs tokens.' }) }, {});

    expect(error.problems).toEqual(['API_TOKEN_ISSUER is required: Who signs tokens.']);
  });

  it('reports every problem at once, in declaration order', () => {
    const error = problemsWith(
      {
        ...COMMON_VARIABLES,
        ...RELAY_VARIABLES,
        REQUIRED_ONE: str({ description: 'A required value.' }),
      },
      {
        LOG_LEVEL: 'verbose',
        KAFKA_TOPIC_PARTITIONS: '0',
        KAFKA_TOPIC_PREFIX: 'has space',
        RELAY_ENABLED: 'sometimes',
        RELAY_POLL_INTERVAL_MS: 'fast',
      },
    );

    expect(error.problems.map((p) => p.split(/[=: ]/)[0])).toEqual([
      'LOG_LEVEL',
      'KAFKA_TOPIC_PREFIX',
      'KAFKA_TOPIC_PARTITIONS',
      'RELAY_ENABLED',
      'RELAY_POLL_INTERVAL_MS',
      'REQUIRED_ONE',
    ]);
    for (const problem of error.problems) expect(error.message).toContain(problem);
  });

  it('shows a bad non-secret value quoted next to what was expected', () => {
    const error = problemsWith(COMMON_VARIABLES, { KAFKA_TOPIC_PARTITIONS: '5000' });

    expect(error.problems).toEqual([
      'KAFKA_TOPIC_PARTITIONS="5000": expected a whole number from 1 to 1000',
    ]);
  });

  describe('with a secret variable', () => {
    const secretValue = 'mongodb://app:hunter2-Sup3r@db.internal:27017/?tls=true';

    it.each([
      ['str with a pattern', str({ description: 'DSN.', secret: true, pattern: /^postgres:/ })],
      ['int', int({ description: 'PIN.', secret: true })],
      ['bool', bool({ description: 'Flag.', secret: true })],
      ['oneOf', oneOf(['a', 'b'], { description: 'Choice.', secret: true })],
    ])('never shows the value refused by %s', (_parser, variable) => {
      const error = problemsWith({ DB_SECRET: variable }, { DB_SECRET: secretValue });

      expect(error.message).toContain('DB_SECRET');
      expect(error.message).toContain('(secret value hidden)');
      for (const text of [error.message, ...error.problems, String(error.stack)]) {
        expect(text).not.toContain('hunter2');
      }
    });

    it('hides the value of the shared MONGODB_URL', () => {
      expect(COMMON_VARIABLES.MONGODB_URL.secret).toBe(true);
    });
  });
});

describe('int', () => {
  const port = int({ description: 'Port.', min: 1, max: 65_535 });

  it.each([
    ['1', 1],
    ['65535', 65_535],
    ['8080', 8080],
    [' 42 ', 42],
  ])('accepts %p as %s', (raw, value) => {
    expect(port.parse(raw)).toBe(value);
  });

  it.each(['0', '65536', '-1', '3.5', '12abc', 'abc', '1e3', '0x10', '+5', '1_000', ' ', '-'])(
    'refuses %p',
    (raw) => {
      expect(() => port.parse(raw)).toThrow('expected a whole number from 1 to 65535');
    },
  );

  it('accepts negative numbers when the bounds allow them', () => {
    expect(int({ description: 'Offset.', min: -10, max: 10 }).parse('-10')).toBe(-10);
  });

  it('refuses numbers beyond the safe integer range by default', () => {
    expect(() => int({ description: 'Big.' }).parse('9007199254740993')).toThrow();
  });
});

describe('bool', () => {
  const flag = bool({ description: 'Flag.' });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['TRUE', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['No', false],
  ])('accepts %p as %s', (raw, value) => {
    expect(flag.parse(raw)).toBe(value);
  });

  it.each(['on', 'off', 'y', 'n', '2', '-1', 'truthy', 'enabled', 't', 'f'])(
    'refuses %p',
    (raw) => {
      expect(() => flag.parse(raw)).toThrow();
    },
  );
});

describe('oneOf', () => {
  const level = oneOf(['debug', 'info', 'warn'] as const, { description: 'Level.' });

  it('accepts each listed value', () => {
    expect(['debug', 'info', 'warn'].map((raw) => level.parse(raw))).toEqual([
      'debug',
      'info',
      'warn',
    ]);
  });

  it.each(['INFO', 'trace', ' info', 'inf'])('refuses %p, listing the choices', (raw) => {
    expect(() => level.parse(raw)).toThrow('expected one of debug, info, warn');
  });
});

describe('list', () => {
  const brokers = list({ description: 'Brokers.' });

  it.each([
    ['kafka-0:9092', ['kafka-0:9092']],
    ['a:1,b:2', ['a:1', 'b:2']],
    [' a:1 , b:2 ,, c:3 ,', ['a:1', 'b:2', 'c:3']],
  ])('splits %p on commas, trimming and dropping empty items', (raw, items) => {
    expect(brokers.parse(raw)).toEqual(items);
  });

  it.each([',', ' , ,', ' '])('refuses %p, which lists nothing', (raw) => {
    expect(() => brokers.parse(raw)).toThrow('expected a comma-separated list');
  });
});

describe('str', () => {
  it('checks the value against its pattern', () => {
    const database = str({ description: 'Database.', pattern: /^[a-z_]+$/ });

    expect(database.parse('read_models')).toBe('read_models');
    expect(() => database.parse('read models')).toThrow('expected a value matching /^[a-z_]+$/');
  });
});
