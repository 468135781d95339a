// The ses shim (lockdown + Compartment) as a string, evaluated only when a candidate must run (see ses.ts).
// One import both bundlers understand with no configuration: esbuild (0.25+) loads a file as a string for
// the `type: 'text'` import attribute and ignores the `?raw` suffix when resolving; Vite/vitest load a
// `?raw` import as a string. The relative path is needed because ses's package.json "exports" does not
// list dist/ses.umd.min.js.
import sesSource from '../../node_modules/ses/dist/ses.umd.min.js?raw' with { type: 'text' };

export default sesSource;
