import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, type Handlers } from '../../../../electron/main/ipc/dispatcher';
import { createMemoryLogger } from '../../../../electron/main/logger';
import { AppFailure } from '../../../../shared/result';

const trusted = { windowId: 1, windowKind: 'settings' as const };

function setup() {
  const renameHandler = vi.fn(async ({ id, title }: { id: string; title: string }) => ({
    id,
    title,
    providerId: null,
    model: '',
    createdAt: '',
    updatedAt: '',
    messageCount: 0,
  }));
  const handlers: Partial<Handlers> = { 'conversations:rename': renameHandler };
  const log = createMemoryLogger();
  return { dispatcher: createDispatcher(handlers, log), renameHandler, log };
}

describe('IPC dispatcher', () => {
  it('refuses a call from an untrusted sender with a typed error and never reaches the service', async () => {
    const { dispatcher, renameHandler } = setup();
    const result = await dispatcher.dispatch('conversations:rename', { id: 'a', title: 'b' }, null);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNTRUSTED_SENDER' }) });
    expect(renameHandler).not.toHaveBeenCalled();
  });

  it.each([
    ['a missing field', { id: 'a' }],
    ['a wrong type', { id: 42, title: 'b' }],
    ['no input at all', undefined],
    ['a string instead of an object', 'rename everything'],
    ['an empty title', { id: 'a', title: '' }],
  ])('answers malformed input (%s) with INVALID_INPUT and never reaches the service', async (_label, input) => {
    const { dispatcher, renameHandler } = setup();
    const result = await dispatcher.dispatch('conversations:rename', input, trusted);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toMatch(/conversations:rename/);
    }
    expect(renameHandler).not.toHaveBeenCalled();
  });

  it('answers an unknown channel with a typed error', async () => {
    const { dispatcher } = setup();
    expect(await dispatcher.dispatch('shell:exec', { cmd: 'rm -rf /' }, trusted)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'UNKNOWN_CHANNEL' }),
    });
    expect(await dispatcher.dispatch({ toString: () => 'x' }, {}, trusted)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'UNKNOWN_CHANNEL' }),
    });
  });

  it('passes validated input and the calling window to the handler and wraps the value', async () => {
    const { dispatcher, renameHandler } = setup();
    const result = await dispatcher.dispatch('conversations:rename', { id: 'c1', title: 'Trip' }, trusted);
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ id: 'c1', title: 'Trip' }) });
    expect(renameHandler).toHaveBeenCalledWith({ id: 'c1', title: 'Trip' }, trusted);
  });

  it('turns an AppFailure into its AppError and any other exception into a generic INTERNAL error', async () => {
    const log = createMemoryLogger();
    const dispatcher = createDispatcher(
      {
        'conversations:get': async () => {
          throw new AppFailure({ code: 'NOT_FOUND', message: 'That conversation no longer exists.' });
        },
        'conversations:delete': async () => {
          throw new TypeError('cannot read properties of undefined (Bearer sk-secret123456)');
        },
      },
      log,
    );
    expect(await dispatcher.dispatch('conversations:get', { id: 'x' }, trusted)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'That conversation no longer exists.' },
    });
    const internal = await dispatcher.dispatch('conversations:delete', { id: 'x' }, trusted);
    expect(internal).toEqual({ ok: false, error: expect.objectContaining({ code: 'INTERNAL', retryable: true }) });
    // The renderer never sees the exception text (it could carry anything); the log keeps it for us.
    expect(JSON.stringify(internal)).not.toContain('cannot read');
    expect(log.lines.join('\n')).toContain('conversations:delete failed');
  });
});
