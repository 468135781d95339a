// atob/btoa as jsPolicy implements them (pkg/vm/vm.go btoaFn/atobFn): Go base64.StdEncoding over
// UTF-8 bytes, not the browser's Latin-1 functions. Both answer undefined (Go nil) for anything but
// exactly one string argument.

// StdEncoding.DecodeString: '\r' and '\n' are skipped anywhere, padding is mandatory, nothing may
// follow it. Non-zero trailing bits are accepted (StdEncoding is not Strict).
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function btoa(...args: unknown[]): string | undefined {
  if (args.length !== 1 || typeof args[0] !== 'string') return undefined;
  // Buffer's UTF-8 encoder turns lone surrogates into U+FFFD, as v8go's String() does.
  return Buffer.from(args[0], 'utf8').toString('base64');
}

export function atob(...args: unknown[]): string | undefined {
  if (args.length !== 1 || typeof args[0] !== 'string') return undefined;
  const text = args[0].replace(/[\r\n]/g, '');
  if (!STD_BASE64.test(text)) return undefined;
  // v8go builds the string with V8's String::NewFromUtf8, the decoder Buffer uses too (U+FFFD).
  return Buffer.from(text, 'base64').toString('utf8');
}
