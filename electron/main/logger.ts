/**
 * A tiny logger for main-process services. It never receives secrets: callers pass ids and error objects,
 * and `redact` masks anything that looks like a bearer token should one slip into an error message.
 */
export interface Logger {
  info(scope: string, message: string): void;
  warn(scope: string, message: string, error?: unknown): void;
  error(scope: string, message: string, error?: unknown): void;
}

const BEARER = /(bearer\s+)[^\s"']+/gi;
const SK_KEY = /\bsk-[A-Za-z0-9_-]{6,}/g;

export function redact(text: string): string {
  return text.replace(BEARER, '$1[redacted]').replace(SK_KEY, 'sk-[redacted]');
}

function describe(error: unknown): string {
  if (error instanceof Error) return redact(`${error.name}: ${error.message}`);
  return redact(String(error));
}

export function createConsoleLogger(level: 'info' | 'warn' | 'error' | 'silent' = 'info'): Logger {
  const rank = { info: 0, warn: 1, error: 2, silent: 3 }[level];
  return {
    info: (scope, message) => {
      if (rank <= 0) console.log(`[${scope}] ${redact(message)}`);
    },
    warn: (scope, message, error) => {
      if (rank <= 1) console.warn(`[${scope}] ${redact(message)}${error ? ` (${describe(error)})` : ''}`);
    },
    error: (scope, message, error) => {
      if (rank <= 2) console.error(`[${scope}] ${redact(message)}${error ? ` (${describe(error)})` : ''}`);
    },
  };
}

/** A logger that keeps lines in memory; tests use it to prove keys never reach the log. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (lvl: string, scope: string, message: string, error?: unknown) =>
    lines.push(`${lvl} [${scope}] ${message}${error ? ` (${error instanceof Error ? error.message : String(error)})` : ''}`);
  return {
    lines,
    info: (s, m) => push('info', s, m),
    warn: (s, m, e) => push('warn', s, m, e),
    error: (s, m, e) => push('error', s, m, e),
  };
}
