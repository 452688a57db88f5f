/**
 * The local server with every API style a test may need at once: Chat Completions, Responses, Assistants
 * and the Files API, started once per test file and, after each test, checked against the official spec
 * (expectWithinSpecThenReset) and emptied, with the uploads it received forgotten.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { AssistantsApi } from '../fixtures/openai-server/assistants';
import { assistantsRoutes } from '../fixtures/openai-server/assistants-routes';
import { filesRoutes, IMAGE_REFUSING_MODELS, startOpenAIServer, type OpenAIServer, type UploadedFile } from '../fixtures/openai-server/index';
import { ResponsesApi } from '../fixtures/openai-server/responses';
import { responsesRoutes } from '../fixtures/openai-server/responses-routes';
import { expectWithinSpecThenReset } from './api-fixture-checks';

export interface AllApisServer {
  readonly server: OpenAIServer;
  readonly responses: ResponsesApi;
  readonly assistants: AssistantsApi;
  /** What the Files API received in the current test. */
  readonly uploads: UploadedFile[];
}

/** Models: gpt-4o-mini, gpt-4o and every model that refuses images (IMAGE_REFUSING_MODELS). */
export function allApisServer(apiKey: string): AllApisServer {
  const responses = new ResponsesApi();
  const assistants = new AssistantsApi();
  const uploads: UploadedFile[] = [];
  let server: OpenAIServer | undefined;
  beforeAll(async () => {
    server = await startOpenAIServer({
      apiKey,
      models: ['gpt-4o-mini', 'gpt-4o', ...Object.keys(IMAGE_REFUSING_MODELS)],
      routes: [responsesRoutes(responses), assistantsRoutes(assistants), filesRoutes(uploads)],
    });
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    if (!server) return;
    await expectWithinSpecThenReset(responses, server);
    await expectWithinSpecThenReset(assistants, server);
    uploads.length = 0;
  });
  return {
    get server() {
      if (!server) throw new Error('the local server is started in beforeAll');
      return server;
    },
    responses,
    assistants,
    uploads,
  };
}
