/**
 * The AppErrors of a reply that breaks after it started: silence, a dropped connection, an error inside
 * the 200 stream, a malformed event, a reply cut off at the token limit or by a content filter.
 */
import { APIError } from 'openai';
import type { AppError } from '../../../../shared/result';
import { serverDetail } from '../wire/secret-scrub';
import { SseEventTooLarge } from '../wire/sse-decoder';
import { hostOf, parseServerError, type ErrorContext } from './error-context';
import { eventTooLargeError, notOpenAIApi } from './request-failure';

export function idleTimeoutError(ctx: ErrorContext, idleTimeoutMs: number): AppError {
  const seconds = Math.max(1, Math.round(idleTimeoutMs / 1000));
  const host = hostOf(ctx.baseUrl);
  return {
    code: 'IDLE_TIMEOUT',
    message: `${host} stopped sending the reply: nothing arrived for ${seconds} seconds.`,
    hint: 'The server may be overloaded or stuck. What arrived is kept; try again.',
    retryable: true,
    params: { host, seconds },
  };
}

export function droppedError(ctx: ErrorContext): AppError {
  const host = hostOf(ctx.baseUrl);
  return {
    code: 'CONNECTION_DROPPED',
    message: `The connection to ${host} was lost before the reply was complete.`,
    hint: 'What arrived is kept. Try again.',
    retryable: true,
    params: { host },
  };
}

export function malformedStreamError(ctx: ErrorContext): AppError {
  const host = hostOf(ctx.baseUrl);
  return {
    code: 'MALFORMED_STREAM',
    message: `${host} sent part of the reply in a form Switchboard cannot read.`,
    hint: 'What arrived is kept. Try again; if it keeps happening, the server may not be fully OpenAI-compatible.',
    retryable: true,
    params: { host },
  };
}

/** An error the server reported inside the 200 stream (`data: {"error": …}`, or an `error` event). */
export function inStreamError(body: unknown, ctx: ErrorContext): AppError {
  const server = parseServerError(body);
  const host = hostOf(ctx.baseUrl);
  const detail = server.message ? serverDetail(server.message, ctx.secrets) : '';
  return {
    code: 'STREAM_ERROR',
    message: detail ? `${host} reported an error while writing the reply: ${detail}` : `${host} reported an error while writing the reply.`,
    hint: 'What arrived is kept. Try again; if it keeps happening, the server log says more.',
    retryable: true,
    params: { host, ...(detail ? { detail } : {}), ...(server.code ? { serverCode: server.code } : {}) },
  };
}

/**
 * The body of an answer that came as one JSON document although a stream was asked for (a server that
 * ignores `stream: true`), with its text for later error messages; or the error to show when the body
 * breaks off or is not JSON.
 */
export async function readUnstreamedJson(
  response: Response,
  contentType: string,
  ctx: ErrorContext,
): Promise<{ body: unknown; text: string } | { error: AppError }> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return { error: streamFailure(error, ctx) };
  }
  try {
    return { body: JSON.parse(text) as unknown, text };
  } catch {
    return { error: notOpenAIApi(contentType, text, ctx) };
  }
}

/** An error thrown while reading the stream: an error payload, malformed JSON, or a broken connection. */
export function streamFailure(error: unknown, ctx: ErrorContext): AppError {
  if (error instanceof SseEventTooLarge) return eventTooLargeError(ctx, error.limitBytes);
  if (error instanceof APIError && typeof error.status !== 'number') {
    return inStreamError({ error: error.error ?? { message: error.message } }, ctx);
  }
  if (error instanceof SyntaxError) return malformedStreamError(ctx);
  return droppedError(ctx);
}

export function cutOffError(ctx: ErrorContext): AppError {
  return {
    code: 'CUT_OFF_LENGTH',
    message: 'The reply was cut off at the token limit.',
    hint: 'Ask the model to continue, or raise the maximum output tokens on the server.',
    retryable: true,
    params: { host: hostOf(ctx.baseUrl) },
  };
}

export function contentFilteredError(ctx: ErrorContext): AppError {
  return {
    code: 'CONTENT_FILTERED',
    message: "The provider's content filter stopped the reply.",
    hint: 'Rephrase the request; the filter is applied by the provider, not by Switchboard.',
    retryable: true,
    params: { host: hostOf(ctx.baseUrl) },
  };
}
