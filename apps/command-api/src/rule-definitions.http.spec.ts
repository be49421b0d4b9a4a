import { call, DEFINITIONS, type Harness, harness, RULE_DEFINITIONS } from '../test/in-memory-api';

const spendTemplate = {
  name: 'Spent at least',
  rule: {
    and: [
      { '>=': [{ var: 'total_spend' }, { arg: 'minimum' }] },
      { in: [{ var: 'tier' }, { arg: 'tiers' }] },
    ],
  },
  arguments: [
    { name: 'minimum', type: 'number', required: true },
    { name: 'tiers', type: 'array', default: [['gold'], 'platinum'], description: 'Tiers in.' },
  ],
  meta: { $owner: 'crm' },
};

describe('rule definitions over HTTP (in-memory stores)', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await harness();
  });

  afterEach(async () => {
    await h.app.close();
  });

  const createTemplate = (body: Record<string, unknown> = {}) =>
    call(h.app, 'POST', RULE_DEFINITIONS, { body: { ...spendTemplate, ...body } });

  async function groupUsing(templateId: number, args: unknown[] = []) {
    await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'Spenders', type: 'dynamic', arguments: { minimum: 100 } },
    });

    return call(h.app, 'POST', `${DEFINITIONS}/spenders/rules`, {
      body: { type: 'inclusion', group_rule_definition_id: templateId, arguments: args },
    });
  }

  it('creates a rule definition with defaults, and reads it by id, by handle and in a page', async () => {
    const created = await createTemplate();

    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({
      id: 1,
      handle: 'spent-at-least',
      name: 'Spent at least',
      description: null,
      evaluator: 'jsonlogic',
      rule: spendTemplate.rule,
      arguments: [
        { name: 'minimum', type: 'number', required: true },
        {
          name: 'tiers',
          type: 'array',
          required: false,
          default: [['gold'], 'platinum'],
          description: 'Tiers in.',
        },
      ],
      meta: { $owner: 'crm' },
      created_at: '2026-03-01T10:00:00.000Z',
      updated_at: '2026-03-01T10:00:00.000Z',
      version: 1,
    });
    const [event] = h.store.eventsOf('rule-definition-1');
    expect(event).toMatchObject({ type: 'RuleDefinitionCreated', actor: 'local-dev' });

    const byId = await call(h.app, 'GET', `${RULE_DEFINITIONS}/1?min_version=1`);
    const byHandle = await call(h.app, 'GET', `${RULE_DEFINITIONS}/spent-at-least`);
    const page = await call(h.app, 'GET', `${RULE_DEFINITIONS}?page[size]=1`);

    expect(byId.body.data).toEqual(created.body.data);
    expect(byHandle.body.data.id).toBe(1);
    expect(page.body).toMatchObject({ data: [{ id: 1 }], meta: { total: 1, per_page: 1 } });
  });

  it('keeps handles unique among rule definitions, apart from group handles', async () => {
    await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'x', handle: 'shared', type: 'static' },
    });

    expect((await createTemplate({ handle: 'shared' })).status).toBe(201);
    const taken = await createTemplate({ name: 'Other', handle: 'shared' });
    expect(taken).toMatchObject({ status: 422, body: { code: 'handle_taken' } });
    expect([...h.ruleDefinitionHandles.claims.keys()]).toEqual(['shared']);
    expect([...h.handles.claims.keys()]).toEqual(['shared']);
  });

  it.each([
    [
      'an unknown operator',
      { rule: { and: [{ '==': [1, 1] }, { frobnicate: [1] }] }, arguments: [] },
      'rule.and.1.frobnicate',
    ],
    ['a __proto__ variable path', { rule: { var: '__proto__.admin' }, arguments: [] }, 'rule.var'],
    ['a constructor variable path', { rule: { var: 'constructor' }, arguments: [] }, 'rule.var'],
    [
      'an argument of an unknown type',
      { arguments: [{ name: 'minimum', type: 'money' }] },
      'arguments.0.type',
    ],
  ])('refuses %s with 422 naming the path', async (_case, body, path) => {
    const refused = await createTemplate(body);

    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('validation_failed');
    expect(Object.keys(refused.body.errors)).toContain(path);
    expect(h.store.eventsOf('rule-definition-1')).toEqual([]);
  });

  it('refuses undeclared arguments, a null rule and a rule nested deeper than 64 levels', async () => {
    let deep: unknown = { var: 'x' };
    for (let i = 0; i < 70; i++) deep = { '!': [deep] };

    const undeclared = await createTemplate({ arguments: [] });
    const nullRule = await createTemplate({ rule: null });
    const tooDeep = await createTemplate({ rule: deep, arguments: [] });

    expect(undeclared.status).toBe(422);
    expect(undeclared.body.errors.rule.join(' ')).toMatch(/minimum/);
    expect(nullRule.status).toBe(422);
    expect(Object.keys(nullRule.body.errors)).toEqual(['rule']);
    expect(tooDeep.status).toBe(422);
    const [deepPath, deepMessages] = Object.entries(tooDeep.body.errors)[0] as [string, string[]];
    expect(deepPath).toMatch(/^rule\.!\.0\.!\.0/);
    expect(deepMessages[0]).toMatch(/deeper than 64/);
  });

  it('refuses reserved argument names, and defaults that can never resolve', async () => {
    const proto = await createTemplate({
      rule: { '>=': [{ var: 'lifetime_spend' }, { arg: '__proto__' }] },
      arguments: [{ name: '__proto__', type: 'number', required: false, default: 1 }],
    });
    const operation = await createTemplate({
      rule: { and: [{ var: 'opted_in' }, { arg: 'extra' }] },
      arguments: [{ name: 'extra', type: 'object', required: false, default: { nope: 1 } }],
    });
    const overflow = await call(h.app, 'POST', RULE_DEFINITIONS, {
      raw: '{"name": "Spend", "handle": "spend", "rule": {">=": [{"var": "lifetime_spend"}, {"arg": "minimum"}]}, "arguments": [{"name": "minimum", "type": "number", "default": 1e400}]}',
    });

    expect(proto.status).toBe(422);
    expect(proto.body.error_codes).toEqual({
      'arguments.0.name': ['invalid_name'],
      'rule.>=.1.arg': ['invalid_argument'],
    });
    expect(operation.status).toBe(422);
    expect(operation.body.error_codes).toEqual({ 'arguments.0.default': ['invalid_default'] });
    expect(overflow.status).toBe(422);
    expect(overflow.body.error_codes).toEqual({ 'arguments.0.default': ['non_finite_number'] });
    expect(h.store.eventsOf('rule-definition-1')).toEqual([]);
  });

  it('edits partially with If-Match, and renames the handle', async () => {
    await createTemplate();

    const edited = await call(h.app, 'PUT', `${RULE_DEFINITIONS}/spent-at-least`, {
      body: { description: 'Big spenders', handle: 'spend' },
      headers: { 'If-Match': '1' },
    });
    const stale = await call(h.app, 'PUT', `${RULE_DEFINITIONS}/1`, {
      body: { name: 'Again' },
      headers: { 'If-Match': '1' },
    });
    const evaluator = await call(h.app, 'PUT', `${RULE_DEFINITIONS}/1`, {
      body: { evaluator: 'cel' },
    });

    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({
      description: 'Big spenders',
      handle: 'spend',
      version: 2,
    });
    expect(stale).toMatchObject({
      status: 409,
      body: { code: 'version_conflict', current_version: 2 },
    });
    expect(evaluator.status).toBe(422);
    expect((await call(h.app, 'GET', `${RULE_DEFINITIONS}/spend`)).status).toBe(200);
    expect(
      (await call(h.app, 'PUT', `${RULE_DEFINITIONS}/spent-at-least`, { body: {} })).status,
    ).toBe(404);
  });

  it('refuses an edit that would leave a group rule unresolved, naming it', async () => {
    await createTemplate();
    const rule = await groupUsing(1);
    expect(rule.status).toBe(201);

    const refused = await call(h.app, 'PUT', `${RULE_DEFINITIONS}/1`, {
      body: {
        rule: { '>=': [{ var: 'total_spend' }, { arg: 'floor' }] },
        arguments: [{ name: 'floor', type: 'number', required: true }],
      },
    });

    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('validation_failed');
    expect(Object.keys(refused.body.errors)).toEqual([`group_rules.1.${rule.body.data.id}`]);
    expect(refused.body.message).toContain(`1:${rule.body.data.id}`);
    expect(h.store.eventsOf('rule-definition-1')).toHaveLength(1);
  });

  it('accepts an edit every group rule still resolves with; the worker re-resolves them', async () => {
    await createTemplate();
    await groupUsing(1);

    const edited = await call(h.app, 'PUT', `${RULE_DEFINITIONS}/1`, {
      body: {
        arguments: [
          { name: 'minimum', type: 'number', required: true },
          { name: 'tiers', type: 'array', default: ['silver'] },
        ],
      },
    });

    expect(edited.status).toBe(200);
    expect(edited.body.data.version).toBe(2);
    // The group's stream is the worker's to re-resolve: the API wrote only the template.
    expect(h.store.eventsOf('group-definition-1').map((e) => e.type)).toEqual([
      'GroupDefinitionCreated',
      'GroupRuleAdded',
    ]);
  });

  it('refuses to delete a rule definition in use with 409, then deletes it and frees its handle', async () => {
    await createTemplate();
    const rule = await groupUsing(1);

    const inUse = await call(h.app, 'DELETE', `${RULE_DEFINITIONS}/spent-at-least`);
    expect(inUse.status).toBe(409);
    expect(inUse.body).toMatchObject({ code: 'rule_definition_in_use' });
    expect(inUse.body.message).toContain(`1:${rule.body.data.id}`);

    await call(h.app, 'DELETE', `${DEFINITIONS}/spenders/rules/${rule.body.data.id}`);
    const deleted = await call(h.app, 'DELETE', `${RULE_DEFINITIONS}/spent-at-least`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.data.version).toBe(2);
    expect((await call(h.app, 'GET', `${RULE_DEFINITIONS}/1`)).status).toBe(404);
    expect((await createTemplate()).status).toBe(201);
  });

  it('needs a token and the scope of each verb', async () => {
    const scoped = await harness({
      AUTH_MODE: 'tokens',
      AUTH_TOKENS: 'reader=read-group-definitions;creator=create-group-definitions',
    });
    try {
      const anonymous = await call(scoped.app, 'GET', RULE_DEFINITIONS, { token: null });
      const read = await call(scoped.app, 'GET', RULE_DEFINITIONS, { token: 'reader' });
      const write = await call(scoped.app, 'POST', RULE_DEFINITIONS, {
        token: 'reader',
        body: spendTemplate,
      });
      const create = await call(scoped.app, 'POST', RULE_DEFINITIONS, {
        token: 'creator',
        body: spendTemplate,
      });
      const remove = await call(scoped.app, 'DELETE', `${RULE_DEFINITIONS}/1`, {
        token: 'creator',
      });

      expect(anonymous).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
      expect(read.status).toBe(200);
      expect(write.body).toMatchObject({
        code: 'forbidden',
        required_scope: 'create-group-definitions',
      });
      expect(create.status).toBe(201);
      expect(remove.body).toMatchObject({
        code: 'forbidden',
        required_scope: 'delete-group-definitions',
      });
    } finally {
      await scoped.app.close();
    }
  });
});
