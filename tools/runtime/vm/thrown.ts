// The text jsPolicy reports for a value thrown out of a policy (pkg/vm/vm.go runScript + v8go's
// JSError): "Uncaught " + the exception's `stack` when it has one (v8::TryCatch::StackTrace reads
// `stack` from any object), else String(exception): a thrown string as is, jsPolicy's own
// {reason, message, toString} objects as "<reason>: <message>".

// Frames below the policy belong to Node (node:vm, the host caller); jsPolicy's stack ends at the policy.
const HOST_FRAME = /^\s+at (?:.*\()?node:vm:/;

export function thrownText(value: unknown): string {
  try {
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
      if ('stack' in value) return `Uncaught ${withoutHostFrames(String(value.stack))}`;
    }
    return String(value);
  } catch {
    return ''; // The exception's own toString/stack getter threw: v8go gets an empty string.
  }
}

function withoutHostFrames(stack: string): string {
  const lines = stack.split('\n');
  const hostStart = lines.findIndex((line) => HOST_FRAME.test(line));
  return (hostStart === -1 ? lines : lines.slice(0, hostStart)).join('\n');
}
