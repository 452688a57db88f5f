/**
 * A conversation as a file: Markdown to read (and paste anywhere), JSON to keep everything (our schema with
 * its version; what import reads back), HTML to open in any browser offline (one file, its own styles, no
 * scripts, every text escaped). Pure functions: the archive service adds dialogs and bytes.
 */
import { strToU8, zipSync } from 'fflate';
import type { Conversation, Message } from '../../../shared/models/conversation';
import type { ToolCallRecord } from '../../../shared/models/tools';
import { EXPORT_FORMAT_NAME, EXPORT_FORMAT_VERSION, type ExportFormat } from '../../../shared/models/archive';

export type ExportLanguage = 'en' | 'zh-TW';

const LABELS = {
  en: {
    you: 'You',
    assistant: 'Assistant',
    reasoning: 'Reasoning',
    attachments: 'Attachments',
    created: 'Created',
    updated: 'Last activity',
    model: 'Model',
    stopped: '(stopped before the end)',
    failed: '(failed)',
    toolCall: 'Tool call',
    arguments: 'Arguments',
    result: 'Result',
    toolStates: { pending: 'not answered', running: 'did not finish', done: 'done', error: 'failed', denied: 'denied', cancelled: 'cancelled' },
  },
  'zh-TW': {
    you: '你',
    assistant: '助理',
    reasoning: '推理過程',
    attachments: '附件',
    created: '建立於',
    updated: '最後活動',
    model: '模型',
    stopped: '（回覆在結束前停止）',
    failed: '（失敗）',
    toolCall: '工具呼叫',
    arguments: '參數',
    result: '結果',
    toolStates: { pending: '未回應', running: '未完成', done: '完成', error: '失敗', denied: '已拒絕', cancelled: '已取消' },
  },
} as const;

/** Our JSON envelope: one or many conversations, lossless (ids, times, usage, reasoning, errors). */
export interface ExportEnvelope {
  format: typeof EXPORT_FORMAT_NAME;
  version: typeof EXPORT_FORMAT_VERSION;
  exportedAt: string;
  conversations: Conversation[];
}

/** A reply's tool calls, round by round, as its cards showed them. */
function toolCallsOf(message: Message): ToolCallRecord[] {
  return (message.toolRounds ?? []).flatMap((round) => round.calls);
}

/** The summary line of a tool call: tool, server, how it ended. */
function toolCallTitle(call: ToolCallRecord, lang: ExportLanguage): string {
  const l = LABELS[lang];
  return `${l.toolCall}: ${call.tool || call.name} · ${call.serverName} · ${l.toolStates[call.state]}`;
}

/** A Markdown code fence that no run of backticks in `text` can close early. */
function fenced(text: string, info = ''): string {
  let longest = 0;
  for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text.trimEnd()}\n${fence}`;
}

/** Drops what only lives in memory (`unsaved`), so the file holds what the conversation file holds. */
function stored(conversation: Conversation): Conversation {
  return {
    ...conversation,
    messages: conversation.messages.map((m) => {
      if (m.unsaved === undefined) return m;
      const { unsaved: _unsaved, ...rest } = m;
      return rest;
    }),
  };
}

export function toJson(conversations: readonly Conversation[], exportedAt: Date): string {
  const envelope: ExportEnvelope = {
    format: EXPORT_FORMAT_NAME,
    version: EXPORT_FORMAT_VERSION,
    exportedAt: exportedAt.toISOString(),
    conversations: conversations.map(stored),
  };
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

function speaker(message: Message, lang: ExportLanguage): string {
  const l = LABELS[lang];
  if (message.role === 'user') return l.you;
  return message.model ? `${l.assistant} (${message.model})` : l.assistant;
}

function statusNote(message: Message, lang: ExportLanguage): string {
  if (message.status === 'stopped') return ` ${LABELS[lang].stopped}`;
  if (message.status === 'failed') return ` ${LABELS[lang].failed}`;
  return '';
}

function attachmentNames(message: Message): string[] {
  // The user's attachments by name (their bytes stay in the app), then files an Assistant cited.
  return [...(message.attachments ?? []).map((a) => a.name), ...(message.annotations ?? []).map((a) => a.text || a.fileId)];
}

/** `2026-01-02 03:04:05 UTC`: readable, and the same wherever the file is opened. */
function stamp(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

/**
 * Message text as Markdown with its raw HTML made inert: `<` becomes `&lt;` (which a Markdown viewer shows
 * as `<`), except inside code (fenced blocks, indented blocks, inline code spans), where Markdown shows text
 * literally already. A reply quoting `<script>` or `<img onerror=…>` then reads as text wherever the file is
 * opened, as it does in the app.
 */
export function inertHtml(markdown: string): string {
  const lines = markdown.split('\n');
  let fence: string | null = null;
  let previousBlank = true;
  let inIndented = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      if (opener && opener[1]!.startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') fence = null;
    } else if (opener) {
      fence = opener[1]!;
    } else {
      const blank = line.trim() === '';
      inIndented = !blank && /^( {4}|\t)/.test(line) && (previousBlank || inIndented);
      if (!inIndented) lines[i] = line.replace(/(`+)[^`][\s\S]*?\1|`+|[^`<]+|</g, (part) => (part === '<' ? '&lt;' : part));
      previousBlank = blank;
      continue;
    }
    previousBlank = false;
    inIndented = false;
  }
  return lines.join('\n');
}

export function toMarkdown(conversation: Conversation, lang: ExportLanguage): string {
  const l = LABELS[lang];
  const out: string[] = [`# ${inertHtml(conversation.title.replace(/\n/g, ' '))}`, ''];
  const meta = [`${l.created}: ${stamp(conversation.createdAt)}`, `${l.updated}: ${stamp(conversation.updatedAt)}`];
  if (conversation.model) meta.push(`${l.model}: ${conversation.model}`);
  out.push(meta.map((m) => `- ${m}`).join('\n'), '');
  for (const message of conversation.messages) {
    out.push(`## ${speaker(message, lang)} · ${stamp(message.createdAt)}${statusNote(message, lang)}`, '');
    if (message.reasoning) {
      out.push('<details>', `<summary>${l.reasoning}</summary>`, '', inertHtml(message.reasoning.trimEnd()), '', '</details>', '');
    }
    out.push(inertHtml(message.content.trimEnd()), '');
    for (const call of toolCallsOf(message)) {
      out.push('<details>', `<summary>${inertHtml(toolCallTitle(call, lang))}</summary>`, '');
      if (call.message) out.push(inertHtml(call.message), '');
      out.push(`${l.arguments}:`, '', fenced(call.arguments, 'json'), '');
      if (call.result !== undefined) out.push(`${l.result}:`, '', fenced(call.result), '');
      out.push('</details>', '');
    }
    const names = attachmentNames(message);
    if (names.length > 0) out.push(`${l.attachments}:`, '', ...names.map((n) => `- ${inertHtml(n)}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const HTML_STYLE = `body{font:16px/1.55 system-ui,-apple-system,"Segoe UI","Noto Sans TC","PingFang TC",sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;background:#fff}
header p{color:#555;margin:.2rem 0}article{border-top:1px solid #ddd;padding:1rem 0}h2{font-size:1rem;margin:0 0 .5rem}
.user h2{color:#0b57d0}.content{white-space:pre-wrap;overflow-wrap:anywhere}details{background:#f5f5f7;border-radius:6px;padding:.5rem .75rem;margin:.5rem 0}
summary{cursor:pointer;color:#555}time{color:#777;font-weight:normal}@media (prefers-color-scheme:dark){body{background:#1c1c1e;color:#eee}details{background:#2c2c2e}header p,summary,time{color:#aaa}.user h2{color:#8ab4f8}}`;

export function toHtml(conversation: Conversation, lang: ExportLanguage): string {
  const l = LABELS[lang];
  const e = escapeHtml;
  const articles = conversation.messages.map((message) => {
    const parts = [
      `<article class="${message.role}">`,
      `<h2>${e(speaker(message, lang))} <time datetime="${e(message.createdAt)}">${e(stamp(message.createdAt))}</time>${e(statusNote(message, lang))}</h2>`,
    ];
    if (message.reasoning) {
      parts.push(`<details><summary>${e(l.reasoning)}</summary><div class="content">${e(message.reasoning)}</div></details>`);
    }
    parts.push(`<div class="content">${e(message.content)}</div>`);
    for (const call of toolCallsOf(message)) {
      parts.push(
        [
          `<details><summary>${e(toolCallTitle(call, lang))}</summary>`,
          call.message ? `<p>${e(call.message)}</p>` : '',
          `<p>${e(l.arguments)}:</p><pre class="content">${e(call.arguments)}</pre>`,
          call.result !== undefined ? `<p>${e(l.result)}:</p><pre class="content">${e(call.result)}</pre>` : '',
          '</details>',
        ].join(''),
      );
    }
    const names = attachmentNames(message);
    if (names.length > 0) parts.push(`<p>${e(l.attachments)}: ${names.map(e).join(', ')}</p>`);
    parts.push('</article>');
    return parts.join('\n');
  });
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    // Nothing in the file may run or load anything: a message can hold any text.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(conversation.title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${e(conversation.title)}</h1><p>${e(l.created)}: ${e(stamp(conversation.createdAt))}</p><p>${e(l.updated)}: ${e(stamp(conversation.updatedAt))}</p></header>`,
    ...articles,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export const EXPORT_TYPES: Record<ExportFormat, { extension: string; mimeType: string }> = {
  markdown: { extension: 'md', mimeType: 'text/markdown' },
  json: { extension: 'json', mimeType: 'application/json' },
  html: { extension: 'html', mimeType: 'text/html' },
};

export function exportConversation(conversation: Conversation, format: ExportFormat, lang: ExportLanguage, now: Date): string {
  if (format === 'markdown') return toMarkdown(conversation, lang);
  if (format === 'html') return toHtml(conversation, lang);
  return toJson([conversation], now);
}

/** A file name from a title: no path separators or characters Windows refuses, not too long. */
export function fileNameFor(title: string, extension: string): string {
  const base = title.replace(/[\u0000-\u001f<>:"/\\|?*]+/g, ' ').replace(/\s+/g, ' ').trim().replace(/^\.+/, '').slice(0, 80).trim();
  return `${base || 'conversation'}.${extension}`;
}

export const ARCHIVE_JSON_NAME = 'switchboard-conversations.json';

/**
 * Every conversation in one zip: the lossless JSON that import reads back, and a Markdown file per
 * conversation for reading without the app. A zip rather than one JSON file because it stays one file to
 * keep while being readable as is, and it is compressed (chat text shrinks to about a quarter).
 */
export function archiveOf(conversations: readonly Conversation[], lang: ExportLanguage, now: Date): Uint8Array {
  const files: Record<string, Uint8Array> = { [ARCHIVE_JSON_NAME]: strToU8(toJson(conversations, now)) };
  const used = new Set<string>();
  conversations.forEach((conversation, i) => {
    let name = `markdown/${String(i + 1).padStart(4, '0')} ${fileNameFor(conversation.title, 'md')}`;
    while (used.has(name)) name = name.replace(/\.md$/, '-.md');
    used.add(name);
    files[name] = strToU8(toMarkdown(conversation, lang));
  });
  // A fixed time in the zip's entries: the same conversations give the same bytes.
  return zipSync(files, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
}
