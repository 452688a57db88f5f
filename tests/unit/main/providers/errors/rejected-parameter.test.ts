import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { rejectedParameter } from '../../../../../electron/main/providers/errors/rejected-parameter';

const sent = new Set(['max_tokens', 'seed', 'temperature', 'stop']);
const fail = (status: number, body: object) => new APIError(status, body, undefined, new Headers());

describe('rejectedParameter', () => {
  it('reads the param field and the wording of OpenAI, vLLM, LiteLLM and Ollama', () => {
    expect(rejectedParameter(fail(400, { message: 'Unsupported parameter: x', param: 'max_tokens', code: 'unsupported_parameter' }), sent)).toBe('max_tokens');
    expect(rejectedParameter(fail(400, { message: "Unsupported value: 'temperature' does not support 0.2 with this model.", param: null }), sent)).toBe('temperature');
    expect(rejectedParameter(fail(400, { message: 'Unrecognized request argument supplied: seed' }), sent)).toBe('seed');
    expect(
      rejectedParameter(fail(400, { message: "[{'type': 'extra_forbidden', 'loc': ('body', 'seed'), 'msg': 'Extra inputs are not permitted', 'input': 7}]" }), sent),
    ).toBe('seed');
    expect(rejectedParameter(fail(400, { message: '1 validation error for ChatCompletionRequest\nseed\n  Extra inputs are not permitted [type=extra_forbidden]' }), sent)).toBe('seed');
    expect(rejectedParameter(fail(400, { message: "litellm.UnsupportedParamsError: ollama_chat does not support parameters: ['stop'], for model=x" }), sent)).toBe('stop');
    expect(rejectedParameter(fail(400, { message: "litellm.UnsupportedParamsError: gpt-5-nano doesn't support temperature=0.1 while reasoning is active." }), sent)).toBe('temperature');
    expect(rejectedParameter(fail(400, { message: 'json: cannot unmarshal number into Go struct field ChatCompletionRequest.seed of type string' }), sent)).toBe('seed');
    expect(rejectedParameter(fail(422, { detail: [{ loc: ['body', 'seed'], msg: 'Extra inputs are not permitted' }] }), sent)).toBe('seed');
  });

  it('ignores parameters we did not send from the settings, other statuses and other failures', () => {
    expect(rejectedParameter(fail(400, { message: 'Unrecognized request argument supplied: stream_options', param: 'stream_options' }), sent)).toBeNull();
    expect(rejectedParameter(fail(500, { message: 'Unrecognized request argument supplied: seed' }), sent)).toBeNull();
    expect(rejectedParameter(fail(400, { message: 'The model `x` does not exist' }), sent)).toBeNull();
    expect(rejectedParameter(new Error('Unrecognized request argument supplied: seed'), sent)).toBeNull();
  });
});
