import { describe, expect, it } from 'vitest';
import { ToolCallAssembly, chatHistoryMessages } from '../../../../electron/main/providers/openai-chat/tool-call-assembly';

describe('ToolCallAssembly', () => {
  it('joins arguments split across chunks, for calls interleaved by index, in index order', () => {
    const a = new ToolCallAssembly();
    a.push([{ index: 1, id: 'b', type: 'function', function: { name: 'echo', arguments: '' } }]);
    a.push([{ index: 0, id: 'a', type: 'function', function: { name: 'add', arguments: '{"a"' } }]);
    a.push([{ index: 1, function: { arguments: '{"text":' } }]);
    a.push([{ index: 0, function: { arguments: ': 1, "b": 2}' } }]);
    a.push([{ index: 1, function: { arguments: '"hé"}' } }]);
    expect(a.finish()).toEqual([
      { id: 'a', name: 'add', arguments: '{"a": 1, "b": 2}' },
      { id: 'b', name: 'echo', arguments: '{"text":"hé"}' },
    ]);
  });

  it('does not double a name repeated on later pieces, names a call without an id, and reads empty arguments as {}', () => {
    const a = new ToolCallAssembly();
    a.push([{ index: 0, function: { name: 'ping', arguments: '' } }]);
    a.push([{ index: 0, function: { name: 'ping' } }]);
    expect(a.finish()).toEqual([{ id: 'call_0', name: 'ping', arguments: '{}' }]);
  });

  it('ignores a piece list that is not an array and calls that never got a name', () => {
    const a = new ToolCallAssembly();
    a.push(null);
    a.push([{ index: 3, function: { arguments: '{}' } }]);
    expect(a.finish()).toEqual([]);
  });
});

describe('chatHistoryMessages', () => {
  it('turns a reply with tool rounds into assistant tool_calls and tool messages, then the final text', () => {
    const messages = chatHistoryMessages([
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: 'Looking. Found it.',
        toolRounds: [
          {
            contentLength: 9,
            calls: [
              { id: 'c1', name: 'echo', serverId: 's', serverName: 'S', tool: 'echo', arguments: '{}', state: 'done', result: 'ok' },
              { id: 'c2', name: 'echo', serverId: 's', serverName: 'S', tool: 'echo', arguments: '{}', state: 'denied', message: 'The user denied this tool call.' },
            ],
          },
        ],
      },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: 'Looking. ',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'echo', arguments: '{}' } },
          { id: 'c2', type: 'function', function: { name: 'echo', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      { role: 'tool', tool_call_id: 'c2', content: 'The user denied this tool call.' },
      { role: 'assistant', content: 'Found it.' },
    ]);
  });
});
