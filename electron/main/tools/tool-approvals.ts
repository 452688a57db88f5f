/**
 * Calls waiting for the user's decision, by conversation and call id. A decision for a call nobody waits
 * for (already decided, or its turn was stopped) is refused with a sentence instead of being lost silently.
 */
import type { ToolDecision } from '../../../shared/models/tools';
import { AppFailure } from '../../../shared/result';

interface Waiting {
  resolve(decision: ToolDecision): void;
}

export class ToolApprovals {
  private readonly waiting = new Map<string, Waiting>();

  wait(conversationId: string, callId: string, signal: AbortSignal): Promise<ToolDecision> {
    const key = `${conversationId}\u0000${callId}`;
    return new Promise<ToolDecision>((resolve, reject) => {
      if (signal.aborted) {
        reject(new Error('stopped'));
        return;
      }
      const onAbort = () => {
        this.waiting.delete(key);
        reject(new Error('stopped'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(key, {
        resolve: (decision) => {
          signal.removeEventListener('abort', onAbort);
          this.waiting.delete(key);
          resolve(decision);
        },
      });
    });
  }

  decide(conversationId: string, callId: string, decision: ToolDecision): void {
    const waiting = this.waiting.get(`${conversationId}\u0000${callId}`);
    if (!waiting) {
      throw new AppFailure({ code: 'NOT_FOUND', message: 'That tool call is no longer waiting for a decision.', params: { context: 'tool_call' } });
    }
    waiting.resolve(decision);
  }
}
