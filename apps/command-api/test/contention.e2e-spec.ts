import { System } from './system';

/**
 * Many clients writing to one stream at once. Unconditional commands re-read,
 * re-decide and re-append until they land; only conditional ones (If-Match) are
 * told 409. The worker runs too: it appends to the evaluation stream a refresh
 * request shares, as another process would.
 */
describe('commands under contention, end to end', () => {
  const system = new System('e2e-contention');

  beforeAll(async () => {
    await system.start('projection-service', 'evaluation-worker', 'command-api');
  });

  afterAll(async () => {
    await system.stopAll();
  });

  function parallel<T>(count: number, request: (i: number) => Promise<T>): Promise<T[]> {
    return Promise.all(Array.from({ length: count }, (_, i) => request(i)));
  }

  it('lands 100 unconditional upserts of one profile, each with a version of its own', async () => {
    const upserts = await parallel(100, (i) =>
      system.api('PUT', '/v3/profiles/contended', { writer: i }),
    );

    expect(upserts.map((reply) => reply.status)).toEqual(Array(100).fill(200));
    const versions = upserts.map((reply) => reply.body.data.version as number);
    expect([...versions].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    const next = await system.api('PUT', '/v3/profiles/contended', { writer: 'last' });
    expect(next.body.data.version).toBe(101);
  });

  it('queues 50 refreshes of one dynamic group at once, all accepted', async () => {
    const created = await system.api('POST', '/v3/groups/definitions', {
      name: 'Contended dynamic',
      handle: 'contended-dynamic',
      type: 'dynamic',
    });
    expect(created.status).toBe(201);
    const rule = await system.api('POST', '/v3/groups/definitions/contended-dynamic/rules', {
      type: 'inclusion',
      rule: { '==': [{ var: 'tier' }, 'gold'] },
    });
    expect(rule.status).toBe(201);

    const refreshes = await parallel(50, () =>
      system.api('POST', '/v3/groups/definitions/contended-dynamic/refresh'),
    );

    expect(refreshes.map((reply) => reply.status)).toEqual(Array(50).fill(202));
  });

  it('lets 30 unconditional definition updates land and 409s all but one conditional', async () => {
    const created = await system.api('POST', '/v3/groups/definitions', {
      name: 'Contended static',
      handle: 'contended-static',
      type: 'static',
    });
    const version = created.body.data.version as number;

    const conditional = await parallel(10, (i) =>
      system.api(
        'PUT',
        '/v3/groups/definitions/contended-static',
        { description: `conditional ${i}` },
        { 'if-match': String(version) },
      ),
    );
    const unconditional = await parallel(30, (i) =>
      system.api('PUT', '/v3/groups/definitions/contended-static', { short_description: `s${i}` }),
    );

    expect(conditional.filter((reply) => reply.status === 200)).toHaveLength(1);
    expect(conditional.filter((reply) => reply.status === 409)).toHaveLength(9);
    expect(unconditional.map((reply) => reply.status)).toEqual(Array(30).fill(200));
    const versions = new Set(unconditional.map((reply) => reply.body.data.version as number));
    expect(versions.size).toBe(30);
    expect(Math.max(...versions)).toBe(version + 31);
  });

  it('adds and removes one member from 20 clients each: adds agree, one removal wins', async () => {
    await system.api('POST', '/v3/groups/definitions', {
      name: 'Contended members',
      handle: 'contended-members',
      type: 'static',
    });
    const members = '/v3/groups/definitions/contended-members/profiles';

    const adds = await parallel(20, () => system.api('POST', members, { profile_id: 'p-1' }));
    const removals = await parallel(20, () => system.api('POST', `${members}/p-1/remove`, {}));

    expect(adds.every((reply) => reply.status === 200 || reply.status === 201)).toBe(true);
    expect(adds.filter((reply) => reply.status === 201)).toHaveLength(1);
    expect(new Set(adds.map((reply) => reply.body.data.id)).size).toBe(1);
    expect(removals.filter((reply) => reply.status === 200)).toHaveLength(1);
    expect(removals.filter((reply) => reply.status === 404).map((r) => r.body.code)).toEqual(
      Array(19).fill('not_a_member'),
    );
  });
});
