/**
 * Plain lists of channel and event names. The sandboxed preload imports only these (no schemas), and
 * contract.ts checks at compile time that they match the contract exactly.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'app:openSettings',
  'app:openChat',
  'app:openExternal',
  'app:getPreferences',
  'app:setPreferences',
  'app:notices',
  'app:dismissNotice',
  'app:windowReady',
  'providers:list',
  'providers:save',
  'providers:delete',
  'providers:duplicate',
  'providers:test',
  'providers:listModels',
  'providers:keychainStatus',
  'providers:setSessionOnlyKeys',
  'conversations:list',
  'conversations:get',
  'conversations:messages',
  'conversations:create',
  'conversations:rename',
  'conversations:setProvider',
  'conversations:setSettings',
  'conversations:delete',
  'chat:send',
  'chat:stop',
  'chat:regenerate',
  'chat:sendWithout',
  'chat:editAndResend',
  'chat:attach',
  'attachments:add',
  'attachments:read',
  'search:query',
  'archive:export',
  'archive:exportAll',
  'archive:import',
  'prompts:list',
  'prompts:save',
  'prompts:delete',
  'prompts:duplicate',
  'prompts:import',
  'prompts:export',
] as const;

export const EVENT_NAMES = [
  'chat:event',
  'chat:saveState',
  'providers:changed',
  'conversations:changed',
  'app:preferencesChanged',
  'app:noticesChanged',
  'app:command',
  'archive:importProgress',
  'prompts:changed',
] as const;

/** The global the preload (or the browser host's bridge) defines in every window. */
export const WINDOW_API_GLOBAL = 'switchboard';
