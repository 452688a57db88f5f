/**
 * Deterministic replies and histories for the benchmark: Markdown the way chat models write it
 * (headings, paragraphs, lists, fenced code), so rendering cost is measured on realistic text rather
 * than one endless paragraph. A "token" is one streamed chunk: a word with the whitespace before it,
 * exactly as the test server splits replies.
 */

const WORDS = (
  'the a request server stream client response model token value returns function parameter option default ' +
  'configuration message history context window render update state error retry timeout connection reply ' +
  'provider endpoint header latency buffer chunk parser event handler queue memory index file conversation ' +
  'should would could because therefore however usually simply quickly carefully explicitly only also then'
).split(' ');

const CODE_LINES = [
  'const response = await client.chat.completions.create({ model, messages, stream: true });',
  'for await (const chunk of response) process.stdout.write(chunk.choices[0]?.delta?.content ?? "");',
  'function retryAfter(headers: Headers): number { return Number(headers.get("retry-after") ?? 1) * 1000; }',
  'if (!response.ok) throw new Error(`Request failed with status ${response.status}`);',
  'export interface ChatMessage { role: "user" | "assistant"; content: string }',
  'const total = items.reduce((sum, item) => sum + item.tokens, 0);',
  'await fs.writeFile(path.join(dir, `${id}.json`), JSON.stringify(conversation));',
  'return messages.filter((m) => m.content.trim().length > 0).map(({ role, content }) => ({ role, content }));',
];

/** A small seeded generator (mulberry32), so every run streams the same text. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(pick(rand, WORDS));
  const text = out.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function paragraph(rand: () => number, words: number): string {
  const parts: string[] = [];
  let left = words;
  while (left > 0) {
    const n = Math.min(left, 6 + Math.floor(rand() * 12));
    parts.push(sentence(rand, n));
    left -= n;
  }
  // Some inline Markdown, as models use it.
  return parts.join(' ').replace(/\b(stream|server)\b/, '**$1**').replace(/\b(timeout|index)\b/, '`$1`');
}

function codeBlock(rand: () => number, lines: number): string {
  const body: string[] = [];
  for (let i = 0; i < lines; i++) body.push(pick(rand, CODE_LINES));
  return ['```ts', ...body, '```'].join('\n');
}

/** Word-chunks in `text`, counted exactly as the test server splits a reply into tokens. */
export function countTokens(text: string): number {
  return text.match(/\s*\S+|\s+$/g)?.length ?? 0;
}

/** One section: heading, paragraph, list, code block, closing paragraph. */
function section(rand: () => number, index: number): string {
  return [
    `## Step ${index}: ${sentence(rand, 4).slice(0, -1)}`,
    paragraph(rand, 30 + Math.floor(rand() * 30)),
    [1, 2, 3].map(() => `- ${sentence(rand, 5 + Math.floor(rand() * 6))}`).join('\n'),
    codeBlock(rand, 3 + Math.floor(rand() * 6)),
    paragraph(rand, 15 + Math.floor(rand() * 20)),
  ].join('\n\n');
}

/**
 * A Markdown reply of exactly `tokens` tokens (±0) whose last token is `endMarker`, made of sections
 * with code blocks. Text before it can be prepended by the caller.
 */
export function markdownReply(tokens: number, endMarker: string, seed = 1): string {
  const rand = seeded(seed);
  const parts: string[] = [];
  let used = 0;
  for (let i = 1; ; i++) {
    const s = section(rand, i);
    const n = countTokens(`\n\n${s}`);
    // Room for a closing paragraph of at least a few words and the marker.
    if (used + n > tokens - 8) break;
    parts.push(s);
    used += n;
  }
  let text = parts.join('\n\n');
  const closingWords = tokens - countTokens(text) - 1;
  const closing = closingWords > 0 ? `${paragraph(rand, closingWords)} ${endMarker}` : endMarker;
  text = text ? `${text}\n\n${closing}` : closing;
  // Sentences may fold words ("**stream**" is one token either way); fix the count up with plain words.
  let diff = tokens - countTokens(text);
  while (diff > 0) {
    text = text.replace(new RegExp(` ${endMarker}$`), ` ${pick(rand, WORDS)} ${endMarker}`);
    diff--;
  }
  if (countTokens(text) !== tokens) throw new Error(`reply has ${countTokens(text)} tokens, wanted ${tokens}`);
  return text;
}

/** A chat message for a seeded history: short questions, longer Markdown answers (some with code). */
export function historyMessageText(rand: () => number, role: 'user' | 'assistant'): string {
  if (role === 'user') return sentence(rand, 6 + Math.floor(rand() * 20)).replace(/\.$/, '?');
  const parts = [paragraph(rand, 25 + Math.floor(rand() * 60))];
  if (rand() < 0.35) parts.push(codeBlock(rand, 2 + Math.floor(rand() * 5)));
  if (rand() < 0.4) parts.push([1, 2, 3].map(() => `- ${sentence(rand, 4 + Math.floor(rand() * 5))}`).join('\n'));
  if (rand() < 0.5) parts.push(paragraph(rand, 10 + Math.floor(rand() * 30)));
  return parts.join('\n\n');
}

export interface ChunkShape {
  model: string;
  includeUsageNull: boolean;
}

/**
 * The SSE lines of a streamed reply, one `data:` line per token, shaped exactly as the test server
 * writes its own chunks (the first chunk opens the choice with the role). Written with `raw` script
 * steps, they go out as fast as the client reads, without the per-chunk spec validation the server does
 * on its own content chunks (the shape is checked once by the caller).
 */
export function sseChunks(text: string, shape: ChunkShape, id = 'chatcmpl-bench'): { role: string; chunks: string[]; first: Record<string, unknown> } {
  const base = {
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: shape.model,
    system_fingerprint: 'fp_switchboard',
  };
  const chunk = (delta: Record<string, unknown>) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
    ...(shape.includeUsageNull ? { usage: null } : {}),
  });
  const pieces = text.match(/\s*\S+|\s+$/g) ?? [];
  const first = chunk({ content: pieces[0] ?? '' });
  return {
    role: `data: ${JSON.stringify(chunk({ role: 'assistant', content: '' }))}\n\n`,
    chunks: pieces.map((p) => `data: ${JSON.stringify(chunk({ content: p }))}\n\n`),
    first,
  };
}
