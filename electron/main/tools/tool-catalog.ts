/**
 * The functions a conversation offers its model: the tools of its chosen servers that are running, under
 * names the APIs accept (`^[a-zA-Z0-9_-]{1,64}$`). A name two servers share is namespaced with the server
 * for both (`files__search`, `web__search`) and a sentence says so, so no call ever reaches the wrong server.
 */
import type { McpToolInfo } from '../../../shared/models/tools';
import type { ToolSpec } from '../providers/provider-kind';

export interface OfferedTool {
  /** The name the model sees and calls. */
  name: string;
  serverId: string;
  serverName: string;
  tool: McpToolInfo;
}

export interface Catalog {
  tools: OfferedTool[];
  /** One sentence per name shared by several servers. */
  collisions: string[];
}

const NAME_MAX = 64;

export function safeName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  return (clean || 'tool').slice(0, NAME_MAX);
}

export function buildCatalog(servers: readonly { id: string; name: string; tools: readonly McpToolInfo[] }[]): Catalog {
  const byName = new Map<string, { server: (typeof servers)[number]; tool: McpToolInfo }[]>();
  for (const server of servers) {
    for (const tool of server.tools) {
      const key = safeName(tool.name);
      byName.set(key, [...(byName.get(key) ?? []), { server, tool }]);
    }
  }
  const tools: OfferedTool[] = [];
  const collisions: string[] = [];
  const taken = new Set<string>();
  for (const [name, owners] of byName) {
    if (owners.length === 1) {
      const only = owners[0];
      if (!only) continue;
      tools.push({ name, serverId: only.server.id, serverName: only.server.name, tool: only.tool });
      taken.add(name);
      continue;
    }
    const names: string[] = [];
    for (const { server, tool } of owners) {
      const prefix = safeName(server.name || server.id).slice(0, 24);
      let full = `${prefix}__${name}`.slice(0, NAME_MAX);
      for (let n = 2; taken.has(full) || byName.has(full); n++) full = `${prefix}${n}__${name}`.slice(0, NAME_MAX);
      taken.add(full);
      names.push(full);
      tools.push({ name: full, serverId: server.id, serverName: server.name, tool });
    }
    collisions.push(
      `Several servers have a tool named “${owners[0]?.tool.name ?? name}”; the model sees them as ${names.map((n) => `“${n}”`).join(' and ')}.`,
    );
  }
  return { tools, collisions };
}

export function toolSpecs(catalog: Catalog): ToolSpec[] {
  return catalog.tools.map((t) => ({
    name: t.name,
    description: t.tool.description || `${t.tool.name} (${t.serverName})`,
    parameters: objectSchema(t.tool.inputSchema),
  }));
}

/** A function's parameters must be an object schema; a tool that declares none takes an empty object. */
function objectSchema(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!schema || typeof schema !== 'object') return { type: 'object', properties: {} };
  return schema.type === 'object' ? schema : { properties: {}, ...schema, type: 'object' };
}
