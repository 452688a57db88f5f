/**
 * How a conversation's user messages line up with the ones a server keeps for it (an Assistants thread, a
 * Responses conversation). Regenerate, Retry and edit-and-resend send a user message the server may hold
 * already; the adapters use this to drop the old turn there instead of sending the question twice.
 */

/**
 * `new` (our last user message is not on the server yet), `repeat` (it is already the server's last), or
 * `edited` (the server's last was replaced). `serverUsers` are the server's user messages, oldest first,
 * possibly only the newest ones; with the whole conversation in view (`complete`), counting decides, even
 * for identical texts ("yes", "yes").
 */
export function turnKind(serverUsers: readonly string[], local: readonly string[], complete: boolean): 'new' | 'repeat' | 'edited' {
  const before = local.slice(0, -1);
  const endsLike = (a: readonly string[], b: readonly string[]) => {
    const n = Math.min(a.length, b.length);
    for (let i = 1; i <= n; i++) if (a[a.length - i] !== b[b.length - i]) return false;
    return true;
  };
  if (complete) {
    if (serverUsers.length !== local.length) return 'new';
    return serverUsers.at(-1) === local.at(-1) ? 'repeat' : 'edited';
  }
  if (endsLike(serverUsers, before)) return 'new';
  if (endsLike(serverUsers, local)) return 'repeat';
  if (endsLike(serverUsers.slice(0, -1), before)) return 'edited';
  return 'new';
}
