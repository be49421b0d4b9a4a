import { call, DEFINITIONS, type Harness, harness, RULE_DEFINITIONS } from '../test/in-memory-api';

const RULES = `${DEFINITIONS}/tiers/rules`;
const tierTemplate = {
  name: 'Tier in',
  handle: 'tier-in',
  rule: { in: [{ var: 'tier' }, { arg: 'tiers' }] },
  arguments: [{ name: 'tiers', type: 'array', required: true }],
};

describe('group rules over HTTP (in-memory stores)', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await harness();
    await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'Tiers', type: 'dynamic', arguments: { tiers: ['gold'] } },
    });
  });

  afterEach(async () => {
    await h.app.close();
  });

  const addRule = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    call(h.app, 'POST', RULES, { body: { type: 'inclusion', ...body }, headers });

  it('adds a rule from a template, resolved with the group default, and embeds it in the group', async () => {
    await call(h.app, 'POST', RULE_DEFINITIONS, { body: tierTemplate });

    const added = await addRule({ group_rule_definition_id: 1, meta: { $why: [['vip']] } });

    expect(added.status).toBe(201);
    expect(added.body.data).toEqual({
      id: 1,
      group_definition_id: 1,
      group_rule_definition_id: 1,
      type: 'inclusion',
      name: null,
      rule: null,
      arguments: [],
      sort_order: 0,
      is_active: true,
      meta: { $why: [['vip']] },
      effective: {
        handle: 'tier-in',
        evaluator: 'jsonlogic',
        rule: { in: [{ var: 'tier' }, ['gold']] },
        name: 'Tier in',
        arguments: { tiers: ['gold'] },
        rule_definition_version: 1,
      },
      rule_version: 1,
      created_at: '2026-03-01T10:00:00.000Z',
      updated_at: '2026-03-01T10:00:00.000Z',
      version: 2,
    });
    const { version, ...rule } = added.body.data;
    const group = await call(h.app, 'GET', `${DEFINITIONS}/tiers?min_version=${version}`);
    expect(group.body.data).toMatchObject({ version: 2, rules: [rule] });
    const listed = await call(h.app, 'GET', `${RULES}?page[size]=10`);
    expect(listed.body).toMatchObject({ data: [rule], meta: { total: 1 } });
    expect((await call(h.app, 'GET', `${RULES}/1`)).body.data).toEqual(added.body.data);
  });

  it('keeps an inline rule with arrays inside arrays exactly as sent', async () => {
    const rule = { in: [{ var: 'tier' }, ['gold', ['platinum']]] };

    const added = await addRule({ rule, name: 'Inline', sort_order: -1, is_active: false });

    expect(added.status).toBe(201);
    expect(added.body.data).toMatchObject({ rule, effective: { rule }, sort_order: -1 });
    const [, event] = h.store.eventsOf('group-definition-1');
    expect(event?.data).toMatchObject({ rule: { rule, is_active: false } });
  });

  it.each([
    [
      'a __proto__ variable path',
      { and: [true, { var: 'profile.__proto__.x' }] },
      'rule.and.1.var',
      'unsafe_path',
    ],
    ['a constructor variable path', { var: 'constructor.name' }, 'rule.var', 'unsafe_path'],
    ['an unknown operator', { like: [{ var: 'tier' }, 'gold%'] }, 'rule.like', 'unknown_operator'],
    // A bare value is a constant to the engine: "true" sent by mistake would match everyone.
    ['a bare string instead of an operation', 'true', 'rule', 'not_an_operation'],
    ['a bare boolean', true, 'rule', 'not_an_operation'],
  ])(
    'refuses an inline rule with %s, naming the path and the code',
    async (_case, rule, path, code) => {
      const refused = await addRule({ rule });

      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('validation_failed');
      expect(Object.keys(refused.body.errors)).toEqual([path]);
      expect(refused.body.error_codes).toEqual({ [path]: [code] });
      expect(h.store.eventsOf('group-definition-1')).toHaveLength(1);
    },
  );

  it('names only the argument when a value has the wrong type', async () => {
    await call(h.app, 'POST', RULE_DEFINITIONS, { body: tierTemplate });

    const refused = await addRule({
      group_rule_definition_id: 1,
      arguments: [{ name: 'tiers', value: 'gold' }],
    });

    expect(refused.status).toBe(422);
    expect(refused.body.error_codes).toEqual({ 'arguments.tiers': ['argument_type'] });
  });

  it('refuses a rule deeper than 64 levels, neither or both of template and rule, and missing arguments', async () => {
    await call(h.app, 'POST', RULE_DEFINITIONS, {
      body: {
        ...tierTemplate,
        handle: 'strict',
        arguments: [{ name: 'n', type: 'number', required: true }],
        rule: { '>': [{ var: 'n' }, { arg: 'n' }] },
      },
    });
    let deep: unknown = true;
    for (let i = 0; i < 40; i++) deep = { and: [deep] };

    const tooDeep = await addRule({ rule: deep });
    const neither = await addRule({});
    const both = await addRule({ rule: { var: 'n' }, group_rule_definition_id: 1 });
    const missing = await addRule({ group_rule_definition_id: 1 });
    const unknownTemplate = await addRule({ group_rule_definition_id: 9 });

    expect(tooDeep.status).toBe(422);
    expect(Object.values(tooDeep.body.errors).flat().join(' ')).toMatch(/deeper than 64/);
    expect(neither.body.errors).toHaveProperty('rule');
    expect(both.body.errors).toHaveProperty('rule');
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.body.errors)).toEqual(['arguments.n']);
    expect(Object.keys(unknownTemplate.body.errors)).toEqual(['group_rule_definition_id']);
    expect(h.store.eventsOf('group-definition-1')).toHaveLength(1);
  });

  it('takes a rule 64 levels deep, as documented, and refuses 65', async () => {
    const levels = (count: number) => {
      let rule: unknown = { var: 'tier' };
      for (let i = 1; i < count; i++) rule = { '!': rule };

      return rule;
    };

    const deepest = await addRule({ rule: levels(64) });
    const tooDeep = await addRule({ rule: levels(65) });

    expect(deepest.status).toBe(201);
    expect(tooDeep.status).toBe(422);
    expect(Object.values(tooDeep.body.error_codes)).toEqual([['too_deep']]);
  });

  it('refuses numbers JSON cannot hold, which would be stored as null', async () => {
    await call(h.app, 'POST', RULE_DEFINITIONS, { body: tierTemplate });
    const raw = (body: string) => call(h.app, 'POST', RULES, { raw: body });

    const inRule = await raw('{"type": "inclusion", "rule": {">": [{"var": "spend"}, 1e400]}}');
    const inValue = await raw(
      '{"type": "inclusion", "group_rule_definition_id": 1, "arguments": [{"name": "tiers", "value": ["gold", -1e400]}]}',
    );

    expect(inRule.status).toBe(422);
    expect(inRule.body.error_codes).toEqual({ 'rule.>.1': ['non_finite_number'] });
    expect(inValue.status).toBe(422);
    // Refused at the edge, by its path in the request body.
    expect(inValue.body.error_codes).toEqual({ 'arguments.0.value.1': ['non_finite_number'] });
    expect(h.store.eventsOf('group-definition-1')).toHaveLength(1);
  });

  it('refuses an argument given twice instead of keeping the last', async () => {
    await call(h.app, 'POST', RULE_DEFINITIONS, { body: tierTemplate });

    const refused = await addRule({
      group_rule_definition_id: 1,
      arguments: [
        { name: 'tiers', value: ['gold'] },
        { name: 'tiers', value: ['silver'] },
      ],
    });

    expect(refused.status).toBe(422);
    expect(refused.body.error_codes).toEqual({ 'arguments.1.name': ['duplicate_argument'] });
  });

  it('refuses rules for a group that is not dynamic, and unknown rules and groups', async () => {
    await call(h.app, 'POST', DEFINITIONS, { body: { name: 'Static', type: 'static' } });

    const wrongType = await call(h.app, 'POST', `${DEFINITIONS}/static/rules`, {
      body: { type: 'inclusion', rule: true },
    });
    const noRule = await call(h.app, 'PUT', `${RULES}/7`, { body: { name: 'x' } });
    const badId = await call(h.app, 'GET', `${RULES}/seven`);
    const noGroup = await call(h.app, 'GET', `${DEFINITIONS}/nowhere/rules`);
    const badType = await addRule({ type: 'maybe', rule: true });

    expect(wrongType).toMatchObject({
      status: 422,
      body: { code: 'wrong_group_type', errors: { group: [expect.any(String)] } },
    });
    expect(noRule).toMatchObject({ status: 404, body: { code: 'rule_not_found' } });
    expect(badId).toMatchObject({
      status: 422,
      body: { code: 'validation_failed', errors: { rule: [expect.any(String)] } },
    });
    expect(noGroup).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(Object.keys(badType.body.errors)).toEqual(['type']);
  });

  it('edits a rule partially with If-Match and removes it', async () => {
    await addRule({ rule: { '==': [{ var: 'tier' }, 'gold'] } });

    const edited = await call(h.app, 'PUT', `${RULES}/1`, {
      body: { type: 'exclusion', name: 'Gold out' },
      headers: { 'If-Match': '2' },
    });
    const stale = await call(h.app, 'PUT', `${RULES}/1`, {
      body: { name: 'late' },
      headers: { 'If-Match': '2' },
    });
    const removed = await call(h.app, 'DELETE', `${RULES}/1`, { headers: { 'If-Match': '3' } });

    expect(edited.body.data).toMatchObject({
      type: 'exclusion',
      name: 'Gold out',
      rule: { '==': [{ var: 'tier' }, 'gold'] },
      rule_version: 2,
      version: 3,
    });
    expect(stale).toMatchObject({ status: 409, body: { current_version: 3 } });
    expect(removed.body.data).toMatchObject({ id: 1, name: 'Gold out', version: 4 });
    expect((await call(h.app, 'GET', `${DEFINITIONS}/tiers`)).body.data.rules).toEqual([]);
    expect((await call(h.app, 'GET', `${RULES}/1`)).status).toBe(404);
  });

  it('re-resolves the rules when the group default arguments change', async () => {
    await call(h.app, 'POST', RULE_DEFINITIONS, { body: tierTemplate });
    await addRule({ group_rule_definition_id: 1 });

    const edited = await call(h.app, 'PUT', `${DEFINITIONS}/tiers`, {
      body: { arguments: { tiers: ['silver', 'gold'] } },
    });
    const cleared = await call(h.app, 'PUT', `${DEFINITIONS}/tiers`, { body: { arguments: null } });

    expect(edited.status).toBe(200);
    expect(edited.body.data.rules[0]).toMatchObject({
      rule_version: 2,
      effective: { rule: { in: [{ var: 'tier' }, ['silver', 'gold']] } },
    });
    expect(
      h.store
        .eventsOf('group-definition-1')
        .map((e) => e.type)
        .slice(-1),
    ).toEqual(['RuleChanged']);
    // The rule gives no tiers of its own: without a default it would not resolve.
    expect(cleared.status).toBe(422);
    expect(Object.keys(cleared.body.errors)).toEqual(['arguments']);
  });
});
