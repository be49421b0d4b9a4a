import { groupDefinitionStream, membershipStream, streamCategory } from './streams';
import { DEFAULT_TOPIC_PREFIX, topicName } from './topics';

describe('stream ids', () => {
  it('names a group definition stream by its id', () => {
    expect(groupDefinitionStream(42)).toBe('group-definition-42');
  });

  it('names a membership stream by group and profile', () => {
    expect(membershipStream(42, 'profile-7f3a')).toBe('group-member-42-profile-7f3a');
  });

  it('gives different pairs different streams', () => {
    expect(membershipStream(4, '2-a')).not.toBe(membershipStream(42, 'a'));
    expect(membershipStream(1, 'p')).not.toBe(membershipStream(2, 'p'));
  });
});

describe('streamCategory', () => {
  it.each([
    [groupDefinitionStream(1), 'group-definition'],
    [groupDefinitionStream(987654), 'group-definition'],
    [membershipStream(1, 'profile-1'), 'group-member'],
    [membershipStream(3, 'group-definition-9'), 'group-member'],
  ])('reads the category of %s as %s', (stream, category) => {
    expect(streamCategory(stream)).toBe(category);
  });

  it.each([
    'group-definition',
    'group-definitions-1',
    'snapshot-1',
    '',
    'group-',
    'GROUP-MEMBER-1-p',
  ])('refuses the stream id %p', (stream) => {
    expect(() => streamCategory(stream)).toThrow(/Unknown stream category/);
  });
});

describe('topicName', () => {
  it('joins the prefix and the logical topic', () => {
    expect(topicName(DEFAULT_TOPIC_PREFIX, 'memberships')).toBe('profile-groups.memberships');
    expect(topicName('test-1a2b.', 'deadLetter')).toBe('test-1a2b.dead-letter');
  });
});
