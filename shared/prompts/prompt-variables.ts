/**
 * `{{name}}` placeholders in a prompt's text. A name is letters, digits, `_`, `-`, `.` or spaces inside the
 * braces (trimmed), so `{{ topic }}` and `{{topic}}` are the same variable. Anything else between braces
 * (`{{}}`, `{{a{b}}`) is left as text: a prompt about templates keeps its own braces.
 */
const VARIABLE = /\{\{\s*([\p{L}\p{N}_.-]+(?:[ \p{L}\p{N}_.-]*[\p{L}\p{N}_.-])?)\s*\}\}/gu;

/** The distinct variable names in the order they first appear. */
export function parseVariables(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(VARIABLE)) seen.add(match[1]!);
  return [...seen];
}

/** Replaces each placeholder by its value; a variable without a value becomes empty text. */
export function fillVariables(text: string, values: Readonly<Record<string, string>>): string {
  // A replacer function, so `$&` or `$1` in a value are inserted literally.
  return text.replace(VARIABLE, (_whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : ''));
}
