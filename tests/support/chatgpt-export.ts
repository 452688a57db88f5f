/**
 * Writes ChatGPT data exports (`conversations.json`) shaped like real ones: a tree of nodes under
 * `mapping`, a hidden system root, user and assistant turns, a regenerated reply left on another branch
 * (`current_node` points at the branch the user last saw), tool calls and their output, "thoughts"
 * reasoning, attachments, and nodes whose `message` is null. Used by the import tests and the benchmark.
 */

export interface ChatGptShape {
  id: string;
  title: string;
  /** User/assistant exchanges on the current branch. */
  turns: number;
  startSeconds: number;
}

type Node = { id: string; message: Record<string, unknown> | null; parent: string | null; children: string[] };

export function chatGptConversation(shape: ChatGptShape): Record<string, unknown> {
  const mapping: Record<string, Node> = {};
  let clock = shape.startSeconds;
  const add = (id: string, parent: string | null, message: Record<string, unknown> | null): string => {
    mapping[id] = { id, message, parent, children: [] };
    if (parent) mapping[parent]!.children.push(id);
    return id;
  };
  const msg = (id: string, role: string, content: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    id,
    author: { role, name: null, metadata: {} },
    create_time: (clock += 7.25),
    update_time: null,
    content,
    status: 'finished_successfully',
    end_turn: role === 'assistant' ? true : null,
    weight: 1,
    metadata: {},
    recipient: 'all',
    channel: null,
    ...extra,
  });
  const text = (...parts: unknown[]) => ({ content_type: 'text', parts });
  const p = shape.id;
  // The root has no message; then the hidden system prompt.
  let at = add(`${p}-root`, null, null);
  at = add(`${p}-sys`, at, msg(`${p}-sys`, 'system', text(''), { metadata: { is_visually_hidden_from_conversation: true } }));
  for (let t = 0; t < shape.turns; t++) {
    const attach = t === 0 ? { metadata: { attachments: [{ id: 'file-1', name: 'notes.pdf', size: 1024 }] } } : {};
    at = add(`${p}-u${t}`, at, msg(`${p}-u${t}`, 'user', text(`Question ${t} of ${shape.title}: how do I water 番茄 in week ${t}?`), attach));
    if (t === 0) {
      // A reply the user regenerated: left on a branch that is not current.
      add(`${p}-old${t}`, at, msg(`${p}-old${t}`, 'assistant', text('An answer the user threw away.')));
    }
    if (t % 3 === 1) {
      // A tool call and its output, then the visible reply; and a null node in between.
      at = add(`${p}-call${t}`, at, msg(`${p}-call${t}`, 'assistant', { content_type: 'code', language: 'unknown', text: 'search("tomatoes")' }, { recipient: 'browser' }));
      at = add(`${p}-tool${t}`, at, msg(`${p}-tool${t}`, 'tool', { content_type: 'tether_browsing_display', result: 'results' }));
      at = add(`${p}-null${t}`, at, null);
    }
    if (t % 4 === 2) {
      at = add(`${p}-think${t}`, at, msg(`${p}-think${t}`, 'assistant', { content_type: 'thoughts', thoughts: [{ summary: 'Plan', content: `Think about week ${t}.` }] }));
    }
    at = add(`${p}-a${t}`, at, msg(`${p}-a${t}`, 'assistant', text(`Answer ${t}: water them in the morning, about 2 litres.`), { metadata: { model_slug: 'gpt-4o' } }));
  }
  return {
    title: shape.title,
    create_time: shape.startSeconds,
    update_time: clock,
    mapping,
    moderation_results: [],
    current_node: at,
    plugin_ids: null,
    conversation_id: shape.id,
    conversation_template_id: null,
    gizmo_id: null,
    is_archived: false,
    safe_urls: [],
    default_model_slug: 'gpt-4o',
    id: shape.id,
  };
}

export function chatGptExport(count: number, turns = 5): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) =>
    chatGptConversation({
      id: `6790${String(i).padStart(4, '0')}-aaaa-bbbb-cccc-${String(i).padStart(12, '0')}`,
      title: `Garden chat ${i + 1}`,
      turns,
      startSeconds: 1_735_689_600 + i * 3600,
    }),
  );
}
