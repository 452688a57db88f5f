/**
 * The shape of `window.switchboard`, identical in Electron (preload) and in the browser host (WebSocket
 * bridge): `api.providers.save(draft)` calls channel `providers:save`, and `api.on(event, listener)`
 * subscribes to a push event and returns its unsubscribe function. Named functions only, never a raw IPC
 * object or an event object.
 */
import type { Result } from '../result';
import type { ChannelInput, ChannelName, ChannelResult, EventName, EventPayloads } from './contract';

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C extends string, D extends string> = C extends `${D}:${infer V}` ? V : never;

type Call<C extends ChannelName> =
  undefined extends ChannelInput<C>
    ? (input?: ChannelInput<C>) => Promise<Result<ChannelResult<C>>>
    : (input: ChannelInput<C>) => Promise<Result<ChannelResult<C>>>;

export type DomainApi<D extends string> = {
  [V in VerbOf<ChannelName, D>]: `${D}:${V}` extends ChannelName ? Call<`${D}:${V}`> : never;
};

export type SwitchboardApi = {
  [D in DomainOf<ChannelName>]: DomainApi<D>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};

/** Splits `domain:verb`; used by the preload and the browser bridge to build the API object. */
export function splitChannel(name: string): [domain: string, verb: string] {
  const i = name.indexOf(':');
  return [name.slice(0, i), name.slice(i + 1)];
}
