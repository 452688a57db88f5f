/**
 * One reply over a provider's key pool and its fallbacks (providers/routing/failover-plan.ts decides; this
 * makes the requests). It stands between the chat service and the adapter: the adapter's batches pass
 * through unchanged once the first token arrived; an error before that is handed to the plan, and the
 * next key or provider is asked at once. Nothing is ever stitched: after the first token, an error ends
 * the reply as before.
 *
 * A conversation whose provider keeps it on its server (an Assistants thread, a Responses conversation)
 * can change keys but never servers; its fallbacks are passed over with the reason.
 */
import type { ChatEvent } from '../../../shared/models/chat-event';
import type { ReplyRoute } from '../../../shared/models/conversation';
import { keepsServerState, type FallbackTarget } from '../../../shared/models/provider';
import type { AppError } from '../../../shared/result';
import type { ConfigStore } from '../config/config-store';
import type { Logger } from '../logger';
import type { KindOf } from '../providers/kinds';
import { replyBatches, type ChatAdapter, type ChatRequest, type ResolvedProvider } from '../providers/provider-kind';
import { FailoverPlan, NO_KEY_ID, type PlanKey, type PlanStep, type PlanTarget } from '../providers/routing/failover-plan';
import type { KeyHealthBook } from '../providers/routing/key-pool';

export interface ReplyRouterDeps {
  kindOf: KindOf;
  config: Pick<ConfigStore, 'getProvider' | 'setQuirks'>;
  resolveProvider(providerId: string): Promise<ResolvedProvider>;
  health: KeyHealthBook;
  log: Logger;
  now?: () => number;
  /** A key cooled down or was rejected (Settings shows key health). */
  onHealthChanged?(): void;
}

/**
 * Events that mean the answer has started (or, for an empty reply, ended): from here on there is no way back.
 * A model asking for tools has answered too: its calls are shown and run on this route, and the rounds that
 * follow stay on it (the tool loop sits inside the route), so a reply is never stitched from two models.
 */
function isAnswer(event: ChatEvent): boolean {
  return (
    event.type === 'delta' ||
    event.type === 'reasoning' ||
    event.type === 'annotations' ||
    event.type === 'done' ||
    event.type === 'reset' ||
    event.type === 'tool-calls' ||
    event.type === 'tool-rounds'
  );
}

function keyOf(step: PlanStep): Pick<ReplyRoute, 'keyHint' | 'keyLabel'> {
  return step.key.hint ? { keyHint: step.key.hint, ...(step.key.label ? { keyLabel: step.key.label } : {}) } : {};
}

/** The conversation's own fallbacks when it has them, else its provider's. */
function fallbacksOf(request: Pick<ChatRequest, 'provider' | 'fallbacks'>): FallbackTarget[] {
  return request.fallbacks ?? request.provider.config.fallbacks ?? [];
}

interface Candidate {
  target: PlanTarget;
  provider: ResolvedProvider | null;
  fallback: boolean;
}

export class ReplyRouter {
  constructor(private readonly deps: ReplyRouterDeps) {}

  /** True when the reply can choose (several keys, or fallbacks): only then is a route recorded. */
  static routes(request: Pick<ChatRequest, 'provider' | 'fallbacks'>): boolean {
    return (request.provider.keys?.length ?? 0) > 1 || fallbacksOf(request).length > 0;
  }

  private keysOf(provider: ResolvedProvider): PlanKey[] {
    const keys = provider.keys ?? (provider.apiKey ? [{ id: 'default', label: '', hint: '', value: provider.apiKey }] : []);
    if (keys.length === 0) return [{ id: NO_KEY_ID, label: '' }];
    return keys.map((k) => ({ id: k.id, label: k.label, ...(k.hint ? { hint: k.hint } : {}) }));
  }

  private async candidates(request: ChatRequest): Promise<Candidate[]> {
    const primary = request.provider;
    const out: Candidate[] = [
      {
        provider: primary,
        fallback: false,
        target: {
          providerId: primary.config.id,
          providerName: primary.config.name,
          model: request.model,
          keys: this.keysOf(primary),
          strategy: primary.config.keyStrategy ?? 'order',
        },
      },
    ];
    const stateful = keepsServerState(primary.config);
    for (const fallback of fallbacksOf(request)) {
      const config = this.deps.config.getProvider(fallback.providerId);
      const base = { providerId: fallback.providerId, providerName: config?.name ?? 'A deleted provider', model: fallback.model || config?.model || '', keys: [], strategy: config?.keyStrategy ?? 'order' } as const;
      if (!config || !this.deps.kindOf(config.type)) {
        out.push({ provider: null, fallback: true, target: { ...base, keys: [], skip: 'missing' } });
        continue;
      }
      if (stateful || keepsServerState(config)) {
        out.push({ provider: null, fallback: true, target: { ...base, keys: [], skip: 'stateful' } });
        continue;
      }
      let provider: ResolvedProvider;
      try {
        provider = await this.deps.resolveProvider(config.id);
      } catch (error) {
        this.deps.log.warn('chat', `could not read the keys of fallback provider ${config.id}`, error);
        out.push({ provider: null, fallback: true, target: { ...base, keys: [], skip: 'no-key' } });
        continue;
      }
      const needsKey = this.deps.kindOf(config.type)?.needsKey ?? false;
      const keys = this.keysOf(provider);
      const skip = needsKey && !provider.apiKey ? ({ skip: 'no-key' } as const) : {};
      out.push({ provider, fallback: true, target: { ...base, keys, ...skip } });
    }
    return out;
  }

  /** The request for one step: its provider, key and model, and whether the adapter may wait out a 429. */
  private requestFor(request: ChatRequest, candidate: Candidate, step: PlanStep): ChatRequest {
    const provider = candidate.provider as ResolvedProvider;
    const value = provider.keys?.find((k) => k.id === step.key.id)?.value ?? (step.key.id === NO_KEY_ID ? null : provider.apiKey);
    const routed: ChatRequest = {
      ...request,
      provider: { ...provider, apiKey: value },
      model: candidate.target.model,
      ...(step.alone ? {} : { maxRateLimitRetries: 0 }),
    };
    if (!candidate.fallback) return routed;
    // A fallback is stateless (keepsServerState): the conversation's server-side state is not its own.
    const { saveThreadId: _save, ...rest } = routed;
    return {
      ...rest,
      conversation: { id: request.conversation.id },
      rememberQuirk: (quirks) => {
        try {
          this.deps.config.setQuirks(provider.config.id, quirks);
        } catch (error) {
          this.deps.log.warn('chat', 'could not remember a provider quirk', error);
        }
      },
    };
  }

  /**
   * The reply's batches. `onRoute` hears who answered right after the batch carrying the first token has been
   * yielded (so the route never holds that token back a frame); who failed, or that no one could answer,
   * it hears before the batch with the error.
   * `wrap` wraps each route's adapter (the conversation's tool loop), so every round of tools stays on the
   * route that answered first.
   */
  async *batches(
    request: ChatRequest,
    onRoute: (route: ReplyRoute) => void,
    wrap?: (adapter: ChatAdapter) => ChatAdapter,
  ): AsyncGenerator<readonly ChatEvent[], void, undefined> {
    const candidates = await this.candidates(request);
    const plan = new FailoverPlan(
      candidates.map((c) => c.target),
      this.deps.health,
    );
    const record = ReplyRouter.routes(request);
    let last: AppError | undefined;
    for (;;) {
      const step = plan.next();
      if (!step) {
        const first = candidates[0] as Candidate;
        if (record) onRoute({ providerId: first.target.providerId, providerName: first.target.providerName, model: first.target.model, attempts: [...plan.attempts], exhausted: true });
        yield [{ type: 'error', error: plan.exhaustedError(last) }];
        return;
      }
      const candidate = candidates[step.target] as Candidate;
      const kind = this.deps.kindOf(candidate.provider?.config.type ?? request.provider.config.type);
      if (!kind) return;
      let answered = false;
      let failure: AppError | undefined;
      for await (const batch of replyBatches(wrap ? wrap(kind.chat) : kind.chat, this.requestFor(request, candidate, step))) {
        if (answered) {
          yield batch;
          continue;
        }
        const errorAt = batch.findIndex((e) => e.type === 'error');
        const answerAt = batch.findIndex(isAnswer);
        if (errorAt >= 0 && (answerAt < 0 || answerAt > errorAt)) {
          if (errorAt > 0) yield batch.slice(0, errorAt);
          failure = (batch[errorAt] as Extract<ChatEvent, { type: 'error' }>).error;
          break;
        }
        if (answerAt < 0) {
          yield batch;
          continue;
        }
        answered = true;
        const route = plan.answered(step);
        // After the first token has gone out: told first, the route would take the coalescer's leading
        // edge and hold the first token back a frame (npm run bench: first-token-overhead-key-pool).
        yield batch;
        if (record) onRoute(route);
      }
      if (!failure) {
        // Stopped before anything arrived, or a reply that ended cleanly.
        if (!answered && !request.signal.aborted) plan.answered(step);
        return;
      }
      last = failure;
      if (request.signal.aborted || failure.code === 'CANCELLED' || !plan.failed(step, failure)) {
        if (record && plan.attempts.length > 0) {
          const t = candidate.target;
          onRoute({ providerId: t.providerId, providerName: t.providerName, model: t.model, ...keyOf(step), attempts: [...plan.attempts], failed: true });
        }
        yield [{ type: 'error', error: failure }];
        return;
      }
      this.deps.log.info('chat', `reply ${request.conversation.id}: ${failure.code} from ${candidate.target.providerId} before the first token; trying the next way`);
      this.deps.onHealthChanged?.();
    }
  }
}
