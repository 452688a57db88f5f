/**
 * How a test against a stateful API fixture (the Assistants or the Responses API of the test server) ends:
 * the fixture has finished its work, neither it nor the server core saw anything outside the spec, and both
 * start over for the next test.
 */
import { expect } from 'vitest';
import type { OpenAIServer } from '../fixtures/openai-server/index';

export interface ApiFixture {
  idle(): Promise<void>;
  readonly specViolations: readonly string[];
  reset(): void;
}

export async function expectWithinSpecThenReset(api: ApiFixture, server: OpenAIServer): Promise<void> {
  await api.idle();
  expect(api.specViolations).toEqual([]);
  expect(server.violations.map((v) => v.message)).toEqual([]);
  api.reset();
  server.reset();
}
