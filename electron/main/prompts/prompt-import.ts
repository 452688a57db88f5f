/**
 * Reads a prompt library file (our export format) completely before anything is written. A file that is
 * not ours, from a newer version, or with one prompt that does not fit is refused as a whole with one
 * sentence saying why: an import adds all of its prompts or none.
 */
import {
  PROMPT_COUNT_MAX,
  PROMPT_NAME_MAX,
  PROMPT_TEXT_MAX,
  PROMPTS_EXPORT_FORMAT,
  PROMPTS_EXPORT_VERSION,
} from '../../../shared/models/prompts';
import { AppFailure, appError, type ErrorCode } from '../../../shared/result';

export interface ImportedPrompt {
  name: string;
  text: string;
}

function failure(code: ErrorCode, message: string, params: Record<string, string | number>): AppFailure {
  return new AppFailure(appError(code, message, { params }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parsePromptImport(text: string, fileName: string): ImportedPrompt[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw failure('PROMPTS_IMPORT_NOT_JSON', `${fileName} is not a JSON file: nothing was imported.`, { file: fileName });
  }
  if (!isRecord(data) || data.format !== PROMPTS_EXPORT_FORMAT) {
    throw failure('PROMPTS_IMPORT_FOREIGN', `${fileName} is not a Switchboard prompt library: nothing was imported.`, {
      file: fileName,
    });
  }
  if (typeof data.version !== 'number' || !Number.isInteger(data.version) || data.version < 1) {
    throw failure('PROMPTS_IMPORT_FOREIGN', `${fileName} is not a Switchboard prompt library: nothing was imported.`, {
      file: fileName,
    });
  }
  if (data.version > PROMPTS_EXPORT_VERSION) {
    throw failure(
      'PROMPTS_IMPORT_NEWER_VERSION',
      `${fileName} was exported by a newer Switchboard (format ${data.version}): update the app to import it.`,
      { file: fileName, version: data.version },
    );
  }
  if (!Array.isArray(data.prompts)) {
    throw failure('PROMPTS_IMPORT_FOREIGN', `${fileName} is not a Switchboard prompt library: nothing was imported.`, {
      file: fileName,
    });
  }
  if (data.prompts.length > PROMPT_COUNT_MAX) {
    throw failure(
      'PROMPTS_IMPORT_TOO_MANY',
      `${fileName} holds ${data.prompts.length} prompts, more than the ${PROMPT_COUNT_MAX} a library can keep: nothing was imported.`,
      { file: fileName, count: data.prompts.length, max: PROMPT_COUNT_MAX },
    );
  }
  return data.prompts.map((entry: unknown, i: number) => {
    const index = i + 1;
    const bad = (field: string) =>
      failure(
        'PROMPTS_IMPORT_BAD_PROMPT',
        `Prompt ${index} in ${fileName} cannot be imported (the field “${field}” is missing or wrong): nothing was imported.`,
        { file: fileName, index, field },
      );
    if (!isRecord(entry)) throw bad('prompt');
    const { name, text: body } = entry;
    if (typeof name !== 'string' || name.trim() === '' || name.trim().length > PROMPT_NAME_MAX) throw bad('name');
    if (typeof body !== 'string' || body === '' || body.length > PROMPT_TEXT_MAX) throw bad('text');
    return { name: name.trim(), text: body };
  });
}
