/**
 * A model or server that does not take image input refuses a request with images in its own words
 * (shared/COMPAT.md): OpenAI, LM Studio, llama.cpp (500 through some proxies), vLLM, Ollama. All of them are
 * one sentence here, with "Send without images" as the way out; a 413 is "the request is too large".
 */
import { APIError } from 'openai';
import { appError, type AppError } from '../../../../shared/result';

const IMAGE_REFUSALS: readonly RegExp[] = [
  // OpenAI: "Invalid content type. image_url is only supported by certain models." (image_file on an Assistants run)
  /(?:image_url|image_file|input_image) is only supported by certain models/i,
  // OpenAI-style and generic: "… does not support image input", "Model does not support images. Please use a model that does." (LM Studio)
  /does(?: not|n't) support (?:image|images|vision|multimodal|multi-modal)\b/i,
  // llama.cpp server: `Unsupported content part type: "image_url"`; Responses-style servers the same for input_image
  // (the quote may come escaped, as in a raw JSON body)
  /Unsupported content (?:part )?type:?\s*\\?['"]?(?:image_url|input_image|image_file)/i,
  // llama.cpp: "image input is not supported - hint: if this is unexpected, you may need to provide the mmproj"
  /image input is not supported/i,
  // vLLM: "At most 0 image(s) may be provided in one request." / "… is not a multimodal model"
  /At most 0 image\(s\)/i,
  /is not a multimodal model/i,
  // Ollama: "this model is missing data required for image input", older "model does not support images"
  /missing data required for image input/i,
  // Ollama / others: "vision is not supported", "images are not supported"
  /(?:vision|images?) (?:is|are) not supported/i,
];

function statusAndText(error: unknown): { status: number; text: string } | null {
  if (error instanceof APIError && typeof error.status === 'number') {
    let body = '';
    try {
      body = error.error === undefined ? '' : JSON.stringify(error.error);
    } catch {
      // nothing more to read
    }
    return { status: error.status, text: `${error.message}\n${body}` };
  }
  const e = error as { status?: unknown; bodyText?: unknown } | null;
  if (typeof e === 'object' && e !== null && typeof e.status === 'number' && typeof e.bodyText === 'string') {
    return { status: e.status, text: e.bodyText };
  }
  return null;
}

/** True when a request that carried images failed because the model or server does not take them. */
export function isImageRefusal(error: unknown): boolean {
  const failure = statusAndText(error);
  if (!failure || failure.status < 400) return false;
  if (failure.status !== 400 && failure.status !== 422 && failure.status < 500) return false;
  return IMAGE_REFUSALS.some((pattern) => pattern.test(failure.text));
}

export function isRequestTooLarge(error: unknown): boolean {
  return statusAndText(error)?.status === 413;
}

export function imagesRejectedError(model: string): AppError {
  return appError('IMAGES_REJECTED', `${model || 'This model'} does not accept images.`, {
    hint: 'Send without images (they are then left out for this provider and model), or choose a model with vision.',
    retryable: false,
    params: { model: model || '', parameter: 'images' },
  });
}

export function requestTooLargeError(host: string): AppError {
  return appError('REQUEST_TOO_LARGE', `${host} refused the request as too large (HTTP 413).`, {
    hint: 'Attach fewer or smaller files, or shorten the history in the conversation settings.',
    retryable: false,
    params: { host, status: 413 },
  });
}

/** The refusal of a request with attachments as its own sentence, or null to map the failure as usual. */
export function attachmentRefusal(error: unknown, sentImages: boolean, model: string, host: string): AppError | null {
  if (sentImages && isImageRefusal(error)) return imagesRejectedError(model);
  if (isRequestTooLarge(error)) return requestTooLargeError(host);
  return null;
}
