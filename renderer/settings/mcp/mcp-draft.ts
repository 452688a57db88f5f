/** The MCP server form's text fields and the draft main receives (lists are typed one entry per line). */
import type { McpServerDraft, McpServerView, NameValue } from '../../../shared/models/tools';

export interface McpForm {
  id?: string;
  name: string;
  enabled: boolean;
  transport: 'stdio' | 'http';
  command: string;
  /** One argument per line (spaces inside an argument stay). */
  args: string;
  cwd: string;
  /** `NAME=value`, one per line. */
  env: string;
  url: string;
  /** `Name: value`, one per line. */
  headers: string;
}

export function emptyForm(): McpForm {
  return { name: '', enabled: true, transport: 'stdio', command: '', args: '', cwd: '', env: '', url: '', headers: '' };
}

export function formFromView(view: McpServerView): McpForm {
  return {
    id: view.id,
    name: view.name,
    enabled: view.enabled,
    transport: view.transport,
    command: view.command,
    args: view.args.join('\n'),
    cwd: view.cwd,
    env: view.env.map((e) => `${e.name}=${e.value}`).join('\n'),
    url: view.url,
    headers: view.headers.map((h) => `${h.name}: ${h.value}`).join('\n'),
  };
}

function pairs(text: string, separator: string): NameValue[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const at = line.indexOf(separator);
      return at < 0 ? { name: line, value: '' } : { name: line.slice(0, at).trim(), value: line.slice(at + separator.length).trim() };
    });
}

export function draftFromForm(form: McpForm): McpServerDraft {
  return {
    ...(form.id ? { id: form.id } : {}),
    name: form.name,
    enabled: form.enabled,
    transport: form.transport,
    command: form.command,
    args: form.args.split('\n').map((a) => a.trim()).filter((a) => a !== ''),
    cwd: form.cwd,
    env: pairs(form.env, '='),
    url: form.url,
    headers: pairs(form.headers, ':'),
  };
}
