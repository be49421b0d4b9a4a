import { CONNECTION_TYPE_PATTERN, connectionInputProblem } from './connection-input';
import { connectionType } from './schemas/connection.schemas';

describe('connection input checks', () => {
  it('takes two distinct usable profile ids', () => {
    expect(connectionInputProblem('stylist-9', 'client-7')).toBeNull();
  });

  it.each([
    ['a self-connection', 'p-1', 'p-1'],
    ['an empty id', '', 'p-1'],
    ['a control character', 'p-1', 'p\u0000x'],
    ['an id over 128 characters', 'p'.repeat(129), 'p-1'],
  ])('refuses %s', (_name, from, to) => {
    expect(connectionInputProblem(from, to)).toEqual(expect.any(String));
  });

  it('names types the way the published schema does', () => {
    expect(CONNECTION_TYPE_PATTERN.source).toBe(connectionType.pattern);
  });
});
