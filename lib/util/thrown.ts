/** A readable text for anything thrown: jsPolicy throws plain {reason, message} objects and strings. Never throws itself. */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
    if (thrown !== null && typeof thrown === 'object' && 'reason' in thrown) {
      const { reason, message } = thrown as { reason: unknown; message?: unknown };
      return `${String(reason)}: ${String(message ?? '')}`;
    }
    return String(thrown);
  } catch {
    return 'an exception that cannot be printed';
  }
}

/** The stack of an Error (for the log), when it has one. */
export function stackOf(thrown: unknown): string | undefined {
  try {
    return thrown instanceof Error && typeof thrown.stack === 'string' ? thrown.stack : undefined;
  } catch {
    return undefined;
  }
}
