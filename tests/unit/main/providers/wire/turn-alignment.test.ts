/**
 * How a turn relates to the conversation a server keeps (new, a repeat for Regenerate/Retry, or an edit).
 */
import { describe, expect, it } from 'vitest';
import { turnKind } from '../../../../../electron/main/providers/wire/turn-alignment';

describe('turnKind', () => {
  it('counts when the whole server conversation is in view, even for identical texts', () => {
    expect(turnKind(['yes'], ['yes', 'yes'], true)).toBe('new');
    expect(turnKind(['yes', 'yes'], ['yes', 'yes'], true)).toBe('repeat');
    expect(turnKind(['a', 'b'], ['a', 'b, edited'], true)).toBe('edited');
    expect(turnKind([], ['first'], true)).toBe('new');
  });

  it('compares the ends when only the newest items were read', () => {
    expect(turnKind(['x', 'a', 'b'], ['a', 'b', 'c'], false)).toBe('new');
    expect(turnKind(['x', 'a', 'b'], ['a', 'b'], false)).toBe('repeat');
    expect(turnKind(['x', 'a', 'b'], ['a', 'b2'], false)).toBe('edited');
    // Nothing lines up (another client wrote to the conversation): treat it as a new turn, delete nothing.
    expect(turnKind(['p', 'q'], ['a', 'b'], false)).toBe('new');
  });
});
