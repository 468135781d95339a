// A file imported as text: `import text from './file?raw' with { type: 'text' }`. esbuild reads the
// `type: 'text'` attribute (and drops the `?raw` suffix when resolving); Vite/vitest read `?raw`.
declare module '*?raw' {
  const text: string;
  export default text;
}
