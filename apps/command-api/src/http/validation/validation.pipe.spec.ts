import { type ArgumentMetadata, type Type } from '@nestjs/common';

import { BrowseGroupDefinitionsParams } from '../../group-definitions/browse-group-definitions/browse-group-definitions.query-params.dto';
import { CreateGroupDefinitionRequest } from '../../group-definitions/create-group-definition/create-group-definition.request.dto';
import { UpdateGroupDefinitionRequest } from '../../group-definitions/update-group-definition/update-group-definition.request.dto';
import { AddGroupMembersRequest } from '../../group-members/add-group-members/add-group-members.request.dto';
import { ListGroupMembersParams } from '../../group-members/list-group-members/list-group-members.query-params.dto';
import { AddGroupRuleRequest } from '../../group-rules/add-group-rule/add-group-rule.request.dto';
import { CreateRuleDefinitionRequest } from '../../rule-definitions/create-rule-definition/create-rule-definition.request.dto';
import { RequestValidationError } from '../errors/api-errors';
import { createValidationPipe } from './validation.pipe';

const pipe = createValidationPipe();

function body<T>(type: Type<T>): ArgumentMetadata {
  return { type: 'body', metatype: type, data: undefined };
}

function query<T>(type: Type<T>): ArgumentMetadata {
  return { type: 'custom', metatype: type, data: undefined };
}

async function fieldErrors(
  value: unknown,
  metadata: ArgumentMetadata,
): Promise<Record<string, string[]>> {
  try {
    await pipe.transform(value, metadata);
  } catch (error) {
    if (error instanceof RequestValidationError) return error.fieldErrors;
    throw error;
  }
  throw new Error('expected a validation failure');
}

describe('global validation pipe', () => {
  it('keeps free-form JSON (query, arguments, meta) exactly as sent through whitelisting', async () => {
    const rule = {
      and: [
        { '>=': [{ var: 'profile.age' }, 18] },
        { or: [{ '==': [{ var: 'tier' }, 'gold'] }, { in: ['vip', { var: 'tags' }] }] },
      ],
    };
    const meta = { nested: { deeper: { list: [1, { a: null }], when: '2026-01-01' } } };

    const dto = (await pipe.transform(
      { name: 'Adults', type: 'dynamic', query: rule, meta, arguments: { days: 30 } },
      body(CreateGroupDefinitionRequest),
    )) as CreateGroupDefinitionRequest;

    expect(dto).toBeInstanceOf(CreateGroupDefinitionRequest);
    expect(dto.query).toEqual(rule);
    expect(dto.meta).toEqual(meta);
    expect(dto.arguments).toEqual({ days: 30 });
  });

  it('keeps rules, argument values and defaults as sent, even of unexpected shapes', async () => {
    const rule = { and: [{ '==': [{ var: 'a' }, [1, [2]]] }, { unknown_key: { deep: true } }] };
    const value = { nested: { list: [[1], { $x: null }] } };

    const groupRule = (await pipe.transform(
      {
        type: 'inclusion',
        rule,
        arguments: [
          { name: 'n', value },
          { name: 'm', value: null },
        ],
      },
      body(AddGroupRuleRequest),
    )) as AddGroupRuleRequest;
    const template = (await pipe.transform(
      { name: 'T', rule, arguments: [{ name: 'n', type: 'object', default: value }] },
      body(CreateRuleDefinitionRequest),
    )) as CreateRuleDefinitionRequest;

    expect(groupRule.rule).toEqual(rule);
    expect(groupRule.arguments?.map((a) => a.value)).toEqual([value, null]);
    expect(template.rule).toEqual(rule);
    expect(template.arguments?.[0]?.default).toEqual(value);
  });

  it('names a bad nested argument by its index, and refuses unknown keys inside it', async () => {
    const errors = await fieldErrors(
      {
        type: 'inclusion',
        rule: true,
        arguments: [
          { name: 'ok', value: 1 },
          { value: 2, x: 1 },
        ],
      },
      body(AddGroupRuleRequest),
    );

    expect(Object.keys(errors).sort()).toEqual(['arguments.1.name', 'arguments.1.x']);
  });

  it('refuses unknown properties and reports every bad field by path', async () => {
    const errors = await fieldErrors(
      {
        type: 'weird',
        period: 0,
        query: [1],
        absolute_expiry: 'soon',
        is_active: 'true',
        extra: 1,
      },
      body(CreateGroupDefinitionRequest),
    );

    expect(Object.keys(errors).sort()).toEqual(
      ['absolute_expiry', 'extra', 'is_active', 'name', 'period', 'query', 'type'].sort(),
    );
    expect(errors.extra).toEqual(['The extra field is not allowed.']);
    expect(errors.name).toContain('The name field is required.');
  });

  it('normalizes input timestamps to ISO 8601 UTC', async () => {
    const dto = (await pipe.transform(
      { name: 'Timed', type: 'static', absolute_expiry: '2026-06-30 23:59:59' },
      body(CreateGroupDefinitionRequest),
    )) as CreateGroupDefinitionRequest;

    expect(dto.absolute_expiry).toBe('2026-06-30T23:59:59.000Z');
  });

  it('lets an edit omit anything but refuses null for name, handle, type and flags', async () => {
    await expect(pipe.transform({}, body(UpdateGroupDefinitionRequest))).resolves.toEqual({});
    const errors = await fieldErrors(
      { name: null, handle: null, type: null, is_published: null, description: null },
      body(UpdateGroupDefinitionRequest),
    );

    expect(Object.keys(errors).sort()).toEqual(['handle', 'is_published', 'name', 'type']);
  });

  it('refuses a handle of digits only, which would read as an id', async () => {
    const errors = await fieldErrors(
      { name: 'x', type: 'static', handle: '123' },
      body(CreateGroupDefinitionRequest),
    );

    expect(Object.keys(errors)).toEqual(['handle']);
  });

  it('names each bad profile id by its index', async () => {
    const errors = await fieldErrors(
      { profile_ids: ['ok', 'fine', 'good', '', 'x'.repeat(129), 42] },
      body(AddGroupMembersRequest),
    );

    expect(Object.keys(errors)).toEqual(['profile_ids.3', 'profile_ids.4', 'profile_ids.5']);
  });

  it('refuses profile ids no removal path could name again: control characters, lone surrogates', async () => {
    const errors = await fieldErrors(
      { profile_ids: ['fine', 'tab\there', 'nul\u0000', 'half\ud800'] },
      body(AddGroupMembersRequest),
    );
    const one = await fieldErrors(
      { profile_id: 'line\nbreak', added_by_profile_id: 'del\u007f' },
      body(AddGroupMembersRequest),
    );

    expect(Object.keys(errors)).toEqual(['profile_ids.1', 'profile_ids.2', 'profile_ids.3']);
    expect(one).toEqual({
      profile_id: ['The profile_id field must be 1 to 128 characters without control characters.'],
      added_by_profile_id: [
        'The added_by_profile_id field must be 1 to 128 characters without control characters.',
      ],
    });
  });

  it('takes 10,000 profile ids and refuses 10,001', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `p-${i}`);

    await expect(
      pipe.transform({ profile_ids: ids(10_000) }, body(AddGroupMembersRequest)),
    ).resolves.toBeDefined();
    const errors = await fieldErrors({ profile_ids: ids(10_001) }, body(AddGroupMembersRequest));

    expect(errors).toEqual({
      profile_ids: ['The profile_ids field may hold at most 10000 profile ids.'],
    });
  });

  it('wants exactly one of profile_id and profile_ids', async () => {
    const none = await fieldErrors({}, body(AddGroupMembersRequest));
    const both = await fieldErrors(
      { profile_id: 'a', profile_ids: ['b'] },
      body(AddGroupMembersRequest),
    );

    expect(Object.keys(none)).toEqual(['profile_id']);
    expect(both).toEqual({ profile_ids: ['Give either profile_id or profile_ids, not both.'] });
  });

  it('reads query booleans strictly: "false" is false, "yes" is refused', async () => {
    const parsed = (await pipe.transform(
      { is_active: 'false', is_archived: '1', 'page[size]': '10' },
      query(BrowseGroupDefinitionsParams),
    )) as BrowseGroupDefinitionsParams;
    const errors = await fieldErrors({ include_removed: 'yes' }, query(ListGroupMembersParams));

    expect(parsed.is_active).toBe(false);
    expect(parsed.is_archived).toBe(true);
    expect(parsed['page[size]']).toBe(10);
    expect(errors).toEqual({
      include_removed: ['The include_removed field must be true, false, 1 or 0.'],
    });
  });

  it('bounds page[size] to 1..500 and page[number] to at least 1', async () => {
    const errors = await fieldErrors(
      { 'page[size]': '501', 'page[number]': '0' },
      query(ListGroupMembersParams),
    );
    const zero = await fieldErrors({ 'page[size]': '0' }, query(ListGroupMembersParams));

    expect(Object.keys(errors).sort()).toEqual(['page[number]', 'page[size]']);
    expect(Object.keys(zero)).toEqual(['page[size]']);
  });
});
