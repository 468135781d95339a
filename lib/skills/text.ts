// Tokens for lexical retrieval: words of prose and identifiers, lower-cased, crudely stemmed.
import { identifierWords } from './names.ts';

// English stop words, and the verbs every intent uses (deny, allow, must …): they say what to do
// with a match, not which skill finds it.
const STOP = new Set(
  'deny denied allow allowed reject block forbid disallow prevent require must need needs may not no never policy policies kubernetes k8s a an and are as at be by can do does for from has have if in into is it its may must no not of on or our so than that the their them then there these they this to too was were when where which while who will with without all any each every only should shall'.split(' '),
);

/** A crude English stemmer: enough to meet "containers"/"container", "labelled"/"label", "using"/"use". */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('led') && word.length > 6) return word.slice(0, -3); // labelled
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('es') && /(?:ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** Terms of a text: identifier-aware words (camelCase split), stop words dropped, stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []) {
    for (const word of identifierWords(raw)) {
      if (word.length < 2 || STOP.has(word)) continue;
      out.push(stem(word));
    }
  }
  return out;
}

/**
 * The telling words of JavaScript code: property names (`.securityContext`, `.hostPath`) and string
 * literals ("NodePort", "hostNetwork"); local variable names are left out, they are noise.
 */
export function codeWords(code: string): string {
  const props = code.match(/\.\s*[A-Za-z_$][\w$]*/g) ?? [];
  const strings = code.match(/'[^'\n]*'|"[^"\n]*"/g) ?? [];
  return `${props.join(' ')} ${strings.join(' ')}`;
}

/** A rough token count (about four characters a token for English and code). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
