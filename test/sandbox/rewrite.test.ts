// The acorn rewrite alone (pure string → string, runs in vitest's own realm).
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { rewriteScript, type RewriteNames } from '../../lib/sandbox/rewrite.ts';

const NAMES: RewriteNames = { halt: '__h', step: '__s', halting: '__g', fresh: '__c' };

function rewrite(source: string): string {
  const r = rewriteScript(source, NAMES, 'policy');
  if (!r.ok) throw new Error(r.error);
  // The output must itself be a valid strict script (it runs as one inside the compartment).
  parse(`'use strict'; (function () {\n${r.code}\n})`, { ecmaVersion: 2022, sourceType: 'script' });
  return r.code;
}

describe('insertions', () => {
  it.each([
    ['function f() { return 1 }', 'function f() {__s(); return 1 }'],
    ['const f = (x) => x + 1', 'const f = (x) => (__s(), x + 1)'],
    ['const f = () => ({ a: 1 })', 'const f = () => ((__s(), { a: 1 }))'],
    ['const f = () => () => 1', 'const f = () => (__s(), () => (__s(), 1))'],
    ['while (a) b()', 'while (a) {__s();b()}'],
    ['while (a) { b() }', 'while (a) {__s(); b() }'],
    ['for (;;);', 'for (;;){__s();;}'],
    ['do x(); while (y)', 'do {__s();x();} while (y)'],
    ['for (const k in o) for (const v of k) f(v)', 'for (const k in o) {__s();for (const v of k) {__s();f(v)}}'],
    ['if (a) while (b) c(); else d()', 'if (a) while (b) {__s();c();} else d()'],
    ['try { a() } catch (e) { b() }', 'try { a() } catch (e) {if (e === __h) throw e; b() }'],
    ['try { a() } catch { b() }', 'try { a() } catch (__c0) {if (__c0 === __h) throw __c0; b() }'],
    ['try { a() } catch ({ m }) { b(m) }', 'try { a() } catch (__c0) { if (__c0 === __h) throw __c0; let { m } = __c0; b(m) }'],
    ['try { a() } finally { b() }', 'try { a() } finally {if (!__g()) { b() }}'],
    ['class A { m() { return 1 } get x() { return 2 } static { for (;;) {} } f = () => 3 }', 'class A { m() {__s(); return 1 } get x() {__s(); return 2 } static { for (;;) {__s();} } f = () => (__s(), 3) }'],
    ['const o = { m() {}, get g() { return 1 }, set s(v) {} }', 'const o = { m() {__s();}, get g() {__s(); return 1 }, set s(v) {__s();} }'],
    ['label: for (;;) { continue label }', 'label: for (;;) {__s(); continue label }'],
  ])('%s', (source, expected) => {
    expect(rewrite(source)).toBe(expected);
  });

  it('blanks comments (ses refuses text that looks like import( or eval( anywhere)', () => {
    const source = 'a() // import(x) eval(y)\n/* multi\nline */ b()';
    const blanked = source.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '));
    expect(rewrite(source)).toBe(blanked);
    expect(blanked).not.toMatch(/import|eval/);
  });

  it('escapes string and template text that ses would refuse, keeping the values', () => {
    const source = `const a = '<!-- x --> import(y) eval(z) \\\\import(w)'; const b = \`-->\${a}import (\\\`\${'\$'}{x}\`; const c = String.raw\`<!--\`;`;
    const out = rewrite(source);
    expect(out).toContain('String.raw`<!--`'); // tagged: the tag sees the raw text, left alone
    expect(out.replace('String.raw`<!--`', '')).not.toMatch(/<!--|-->|\bimport\s*\(|\beval\s*\(/);
    const values = (code: string) => new Function(`${code}; return [a, b];`)() as string[];
    expect(values(out)).toEqual(values(source.replace(/const c = .*$/, '')));
  });

  it('keeps a trailing comment from swallowing the wrapper', () => {
    expect(rewrite('a() // end')).toBe('a()       ');
  });

  it('handles nested catch/finally/loops in one pass', () => {
    const out = rewrite(`for (;;) try { try { x() } catch { y() } finally { for (;;) z() } } catch ({ a = () => 1 }) { a() }`);
    expect(out).toContain('let { a = () => (__s(), 1) } = __c1;');
    expect(out.match(/__s\(\)/g)?.length).toBe(3);
  });
});

describe('refusals', () => {
  it.each([
    ['async function f() {}', 'async functions are not allowed'],
    ['const o = { async m() {} }', 'async functions are not allowed'],
    ['function* g() {}', 'generator functions are not allowed'],
    ['import("x")', 'import is not allowed'],
    ['with (a) {}', 'with statements are not allowed'],
    ['debugger', 'debugger statements are not allowed'],
    ['eval("1")', 'eval is not allowed'],
    ['const e = eval', 'eval is not allowed'],
    ['const o = { eval }', 'eval is not allowed'],
    ['new Function("")', 'Function is not allowed'],
    ['let __x', 'names starting with "__" are reserved (__x)'],
    ['a.__proto__', 'names starting with "__" are reserved (__proto__)'],
    ['({ __proto__: null })', 'names starting with "__" are reserved (__proto__)'],
    ['import x from "y"', 'import/export are not allowed'],
    ['export const x = 1', 'import/export are not allowed'],
  ])('%s', (source, message) => {
    const r = rewriteScript(source, NAMES, 'policy');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.refused).toBe(true);
      expect(r.error).toContain(message);
    }
  });

  it('allows eval/Function as property names', () => {
    expect(rewriteScript('const o = { eval: 1, Function: 2 }; o.eval + o.Function', NAMES, 'policy').ok).toBe(true);
  });

  it('reports syntax errors as jsPolicy does', () => {
    const r = rewriteScript('if (', NAMES, 'policy');
    expect(r).toMatchObject({ ok: false, refused: false, error: expect.stringMatching(/^Uncaught SyntaxError: Unexpected token/) });
  });

  it('allows a top-level return (webpack wraps spec.javascript in a function)', () => {
    expect(rewriteScript('if (x) return; deny()', NAMES, 'policy').ok).toBe(true);
  });
});
