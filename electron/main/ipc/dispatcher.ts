/**
 * The registrar's core, free of Electron: given a channel name, raw input and the calling window (or null
 * when the sender is not one of our windows), it checks the sender, validates the input against the
 * contract and calls the handler, always answering with a Result. The Electron binding (ipcMain) and the
 * browser host (WebSocket) both go through here, so both get the same checks.
 */
import { contract, type ChannelName, type ChannelParsedInput, type ChannelResult } from '../../../shared/ipc/contract';
import { AppFailure, fail, ok, type AppError, type Result } from '../../../shared/result';
import { diskFullError, isDiskFull } from '../disk-full';
import type { Logger } from '../logger';

export type WindowKind = 'chat' | 'settings';

/** The trusted window a call came from. */
export interface CallContext {
  windowId: number;
  windowKind: WindowKind;
}

export type Handler<C extends ChannelName> = (
  input: ChannelParsedInput<C>,
  ctx: CallContext,
) => Promise<ChannelResult<C>> | ChannelResult<C>;

export type Handlers = { [C in ChannelName]: Handler<C> };

export interface Dispatcher {
  dispatch(channel: unknown, rawInput: unknown, ctx: CallContext | null): Promise<Result<unknown>>;
}

function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

export function createDispatcher(handlers: Partial<Handlers>, log: Logger): Dispatcher {
  return {
    async dispatch(channel, rawInput, ctx) {
      if (!isChannelName(channel)) {
        return fail({ code: 'UNKNOWN_CHANNEL', message: `Unknown channel: ${String(channel).slice(0, 100)}` });
      }
      if (ctx === null) {
        log.warn('ipc', `refused ${channel} from an untrusted sender`);
        return fail({ code: 'UNTRUSTED_SENDER', message: 'This request did not come from a Switchboard window.' });
      }
      const parsed = contract[channel].input.safeParse(rawInput);
      if (!parsed.success) {
        const issues = parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`)
          .join('; ');
        return fail({ code: 'INVALID_INPUT', message: `Invalid input for ${channel}: ${issues}` });
      }
      const handler = handlers[channel] as Handler<typeof channel> | undefined;
      if (!handler) {
        return fail({ code: 'UNKNOWN_CHANNEL', message: `No handler for ${channel}` });
      }
      try {
        const value = await (handler as (input: unknown, ctx: CallContext) => unknown)(parsed.data, ctx);
        return ok(value);
      } catch (error) {
        return fail(toAppError(error, channel, log));
      }
    },
  };
}

function toAppError(error: unknown, channel: string, log: Logger): AppError {
  if (error instanceof AppFailure) return error.appError;
  // Every write path (a message, a new conversation, settings) ends here when the disk is full.
  if (isDiskFull(error)) {
    log.warn('ipc', `${channel} failed: the disk is full`, error);
    return diskFullError();
  }
  // Unexpected failures are logged (message and stack only, which never carry secrets by construction)
  // and reach the renderer as a generic sentence, never as a stack trace.
  log.error('ipc', `${channel} failed`, error);
  return {
    code: 'INTERNAL',
    message: 'Something went wrong inside Switchboard. Please try again.',
    retryable: true,
  };
}
