import { call, DEFINITIONS, type Harness, harness, RULE_DEFINITIONS } from '../test/in-memory-api';

const LONG_PROFILE = 'p'.repeat(129);
const LONG_HANDLE = 'h'.repeat(256);

describe('id path parameters over HTTP (in-memory stores)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await harness();
    await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'Gold', handle: 'gold', type: 'dynamic' },
    });
    await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'VIP', handle: 'vip', type: 'static' },
    });
  });

  afterAll(async () => {
    await h.app.close();
  });

  // [what, the parameter named in errors, method, path]
  const invalid: Array<[string, string, string, string]> = [
    ['PUT /v3/profiles/<129 characters>', 'profile', 'PUT', `/api/v3/profiles/${LONG_PROFILE}`],
    [
      'DELETE /v3/profiles/<129 characters>',
      'profile',
      'DELETE',
      `/api/v3/profiles/${LONG_PROFILE}`,
    ],
    ['DELETE /v3/profiles/p<U+0001>x', 'profile', 'DELETE', '/api/v3/profiles/p%01x'],
    [
      'POST .../vip/profiles/<129 characters>/remove',
      'profile',
      'POST',
      `${DEFINITIONS}/vip/profiles/${LONG_PROFILE}/remove`,
    ],
    [
      'GET .../gold/explain/<129 characters>',
      'profile',
      'GET',
      `${DEFINITIONS}/gold/explain/${LONG_PROFILE}`,
    ],
    ['GET .../definitions/<handle of 256>', 'group', 'GET', `${DEFINITIONS}/${LONG_HANDLE}`],
    ['PUT .../0', 'group', 'PUT', `${DEFINITIONS}/0`],
    ['DELETE .../not%20a%20handle', 'group', 'DELETE', `${DEFINITIONS}/not%20a%20handle`],
    [
      'GET .../1234567890123456/profiles',
      'group',
      'GET',
      `${DEFINITIONS}/1234567890123456/profiles`,
    ],
    ['POST .../-vip/profiles', 'group', 'POST', `${DEFINITIONS}/-vip/profiles`],
    ['POST .../g%C3%B6ld/refresh', 'group', 'POST', `${DEFINITIONS}/g%C3%B6ld/refresh`],
    ['GET .../gold!/rules', 'group', 'GET', `${DEFINITIONS}/gold!/rules`],
    ['GET .../gold/rules/seven', 'rule', 'GET', `${DEFINITIONS}/gold/rules/seven`],
    ['DELETE .../gold/rules/0', 'rule', 'DELETE', `${DEFINITIONS}/gold/rules/0`],
    [
      'GET .../gold/snapshots/<65 characters>',
      'snapshot',
      'GET',
      `${DEFINITIONS}/gold/snapshots/${'s'.repeat(65)}`,
    ],
    [
      'GET .../gold/snapshots/run%201/profiles',
      'snapshot',
      'GET',
      `${DEFINITIONS}/gold/snapshots/run%201/profiles`,
    ],
    [
      'GET .../rule-definitions/<handle of 256>',
      'ruleDefinition',
      'GET',
      `${RULE_DEFINITIONS}/${LONG_HANDLE}`,
    ],
    ['DELETE .../rule-definitions/0', 'ruleDefinition', 'DELETE', `${RULE_DEFINITIONS}/0`],
  ];

  it.each(invalid)('%s answers 422 naming {%s}', async (_what, parameter, method, path) => {
    const reply = await call(h.app, method, path, method === 'GET' ? {} : { body: {} });

    expect(reply.status).toBe(422);
    expect(reply.body).toEqual({
      message: expect.any(String),
      code: 'validation_failed',
      errors: { [parameter]: [expect.any(String)] },
    });
  });

  it('keeps 404 for a well-formed id that names nothing', async () => {
    const replies = await Promise.all([
      call(h.app, 'GET', `${DEFINITIONS}/nowhere`),
      call(h.app, 'GET', `${DEFINITIONS}/99`),
      call(h.app, 'POST', `${DEFINITIONS}/vip/profiles/${'p'.repeat(128)}/remove`, { body: {} }),
      call(h.app, 'GET', `${DEFINITIONS}/gold/explain/nobody`),
      call(h.app, 'GET', `${DEFINITIONS}/gold/rules/7`),
      call(h.app, 'GET', `${DEFINITIONS}/gold/snapshots/run-1`),
      call(h.app, 'GET', `${RULE_DEFINITIONS}/nothing-here`),
    ]);

    expect(replies.map((reply) => [reply.status, reply.body.code])).toEqual([
      [404, 'not_found'],
      [404, 'not_found'],
      [404, 'not_a_member'],
      [404, 'profile_not_found'],
      [404, 'rule_not_found'],
      [404, 'snapshot_not_found'],
      [404, expect.any(String)],
    ]);
  });
});
