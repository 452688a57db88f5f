/**
 * The baseline: the openai SDK in plain Node reading a chat stream from the local server, with nothing
 * else in its process. It reports when the first content chunk and the end of the stream arrived, on the
 * wall clock every process of the benchmark shares (the parent corrects for the offset).
 */
import OpenAI from 'openai';
import { nowMs, serveRpc } from './child-rpc';

export const sdkMethods = {
  async stream(params: { baseURL: string; apiKey: string; model: string; userText: string }) {
    // Every option explicit, as in the app: nothing may come from OPENAI_* variables.
    const client = new OpenAI({
      baseURL: params.baseURL,
      apiKey: params.apiKey,
      organization: null,
      project: null,
      fetch: globalThis.fetch,
      maxRetries: 0,
    });
    const startedAt = nowMs();
    const stream = await client.chat.completions.create({
      model: params.model,
      messages: [{ role: 'user', content: params.userText }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let firstContentAt: number | null = null;
    let chunks = 0;
    let length = 0;
    for await (const chunk of stream) {
      const text = chunk.choices[0]?.delta?.content;
      if (text) {
        firstContentAt ??= nowMs();
        chunks++;
        length += text.length;
      }
    }
    const endedAt = nowMs();
    if (firstContentAt === null) throw new Error('the stream had no content');
    return { startedAt, firstContentAt, endedAt, chunks, length };
  },
};

export type SdkMethods = typeof sdkMethods;

serveRpc(sdkMethods);
