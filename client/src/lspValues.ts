/** LSP values the server passes as command arguments, checked before use (never trusted). */
export interface LspPosition {
  line: number;
  character: number;
}

export function isPosition(value: unknown): value is LspPosition {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.line === 'number' && typeof record.character === 'number';
}
