import { withCorrelation } from './correlation';
import { type LogLevel, Logger, parseLevel } from './logger';

/** A logger that keeps its lines, parsed, instead of writing them to stdout. */
function capture(level: LogLevel = 'debug', component = 'relay') {
  const raw: string[] = [];
  const logger = new Logger(component, level, (line) => raw.push(line));

  return {
    logger,
    raw,
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const context = { correlationId: 'corr-7d2f', causationId: 'event-1', actor: 'operator-5' };

describe('Logger', () => {
  it('writes one JSON line with time, level, component, message and fields', () => {
    const { logger, raw, lines } = capture('info');
    const before = Date.now();

    logger.info('relay.published', { event_id: 'event-9', count: 3 });

    expect(raw).toHaveLength(1);
    expect(raw[0]).not.toContain('\n');
    const [line] = lines();
    expect(line).toEqual({
      time: expect.any(String),
      level: 'info',
      component: 'relay',
      msg: 'relay.published',
      event_id: 'event-9',
      count: 3,
    });
    const time = Date.parse(line!.time as string);
    expect(new Date(time).toISOString()).toBe(line!.time);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });

  it.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ] as const)('at level %s writes %j', (level, written) => {
    const { logger, lines } = capture(level);

    logger.debug('consumer.retrying');
    logger.info('consumer.started');
    logger.warn('consumer.rebalanced');
    logger.error('consumer.dead_lettered');

    expect(lines().map((line) => line.level)).toEqual(written);
  });

  it('adds the correlation id inside withCorrelation only', () => {
    const { logger, lines } = capture();

    logger.info('before');
    withCorrelation(context, () => logger.info('inside'));
    logger.info('after');

    expect(lines().map((line) => line.correlation_id)).toEqual([undefined, 'corr-7d2f', undefined]);
  });

  it('keeps the correlation id across awaits and uses the innermost context', async () => {
    const { logger, lines } = capture();

    await withCorrelation(context, async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      logger.info('after.await');
      withCorrelation({ ...context, correlationId: 'corr-inner' }, () => logger.info('nested'));
      logger.info('outer.again');
    });

    expect(lines().map((line) => [line.msg, line.correlation_id])).toEqual([
      ['after.await', 'corr-7d2f'],
      ['nested', 'corr-inner'],
      ['outer.again', 'corr-7d2f'],
    ]);
  });

  it('serialises an Error field as its name, message and code only', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error('connection refused'), {
      code: 'ECONNREFUSED',
      address: '10.0.0.7',
      payload: { email: 'someone@example.com' },
    });

    logger.error('consumer.crashed', { error });

    expect(lines()[0]?.error).toEqual({
      name: 'Error',
      message: 'connection refused',
      code: 'ECONNREFUSED',
    });
  });

  it('leaves the stack and cause of an Error out, and a missing code out', () => {
    const { logger, raw, lines } = capture();
    const error = new TypeError('bad input', { cause: new Error('deeper secret') });

    logger.warn('handler.failed', { error });

    expect(lines()[0]?.error).toEqual({ name: 'TypeError', message: 'bad input' });
    expect(raw[0]).not.toContain('deeper secret');
    expect(raw[0]).not.toContain('logger.spec');
  });

  it('serialises an Error nested inside a field the same way', () => {
    const { logger, lines } = capture();
    const cause = Object.assign(new RangeError('offset out of range'), { code: 1 });

    logger.error('relay.failed', { details: { attempt: 2, cause } });

    expect(lines()[0]?.details).toEqual({
      attempt: 2,
      cause: { name: 'RangeError', message: 'offset out of range', code: 1 },
    });
  });

  it('names a child component after its parent and keeps the level', () => {
    const { logger, lines } = capture('warn', 'projection');
    const child = logger.child('writer');

    child.info('writer.applied');
    child.warn('writer.retrying');

    expect(lines()).toEqual([
      expect.objectContaining({ component: 'projection.writer', msg: 'writer.retrying' }),
    ]);
  });
});

describe('parseLevel', () => {
  it.each(['debug', 'info', 'warn', 'error', 'silent'] as const)('accepts %s', (level) => {
    expect(parseLevel(level)).toBe(level);
  });

  it.each([undefined, '', 'verbose', 'INFO'])('falls back to info for %p', (value) => {
    expect(parseLevel(value)).toBe('info');
  });
});
