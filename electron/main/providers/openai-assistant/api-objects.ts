/** The Assistants API objects, with only the fields this kind reads. */

export type RunStatus = 'queued' | 'in_progress' | 'requires_action' | 'cancelling' | 'cancelled' | 'failed' | 'completed' | 'incomplete' | 'expired';

export interface WireRun {
  id: string;
  status: RunStatus | string;
  last_error?: { code?: string; message?: string } | null;
  incomplete_details?: { reason?: string } | null;
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
  required_action?: {
    submit_tool_outputs?: { tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }> };
  } | null;
}

export interface WireAnnotation {
  type?: string;
  text?: string;
  file_citation?: { file_id?: string; quote?: string };
  file_path?: { file_id?: string };
}

export interface WireContentPart {
  type?: string;
  text?: { value?: string; annotations?: WireAnnotation[] } | string;
  refusal?: string;
  image_file?: { file_id?: string };
}

export interface WireMessage {
  id: string;
  role?: string;
  run_id?: string | null;
  content?: WireContentPart[];
}

export interface WireStep {
  id?: string;
  status?: string;
  step_details?: { type?: string; tool_calls?: Array<{ type?: string }> };
  delta?: { step_details?: { type?: string; tool_calls?: Array<{ type?: string }> } };
}

export const TERMINAL: ReadonlySet<string> = new Set(['cancelled', 'failed', 'completed', 'incomplete', 'expired']);
