// list()'s labelSelector as jsPolicy reads it: metav1.ParseToLabelSelector(selector).MatchLabels
// (pkg/vm/vm.go listFn, apimachinery v0.23 labels/selector.go + meta/v1/helpers.go). Only `=`/`==`
// terms survive; `in`, `notin`, `a`, `!a` are parsed and dropped; `!=`, `<`, `>` make
// ParseToLabelSelector fail. Error texts follow apimachinery's.

type Token = 'id' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '(' | 'error';
type Item = { tok: Token; lit: string };
type Op = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
type Requirement = { key: string; op: Op; values: string[] };

const SYMBOLS: Record<string, Token> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', '<': '<', '!=': '!=', '(': '(' };
const isSpecial = (ch: string) => '=!(),><'.includes(ch);
const isSpace = (ch: string) => ' \t\r\n'.includes(ch);

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isSpace(s[pos]!)) pos++;
    if (pos >= s.length) return [...items, { tok: 'end', lit: '' }];
    if (isSpecial(s[pos]!)) {
      // Longest run of special characters that still forms a token ("!=" before "!").
      let buffer = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buffer += s[pos];
        const tok = SYMBOLS[buffer];
        if (tok) last = { tok, lit: buffer };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
    } else {
      let word = '';
      while (pos < s.length && !isSpecial(s[pos]!) && !isSpace(s[pos]!)) word += s[pos++];
      items.push({ tok: word === 'in' || word === 'notin' ? word : 'id', lit: word });
    }
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  // In value position the keywords in/notin are plain identifiers.
  peek(values = true): Item {
    const item = this.items[this.pos]!;
    return values && (item.tok === 'in' || item.tok === 'notin') ? { tok: 'id', lit: item.lit } : item;
  }

  next(values = true): Item {
    const item = this.peek(values);
    this.pos++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === 'end') return requirements;
      if (tok !== 'id' && tok !== '!') throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        requirements.push(this.requirement());
      } catch (err) {
        throw new Error(`unable to parse requirement: ${(err as Error).message}`);
      }
      const after = this.next();
      if (after.tok === 'end') return requirements;
      if (after.tok !== ',') throw new Error(`found '${after.lit}', expected: ',' or 'end of string'`);
      const following = this.peek();
      if (following.tok !== 'id' && following.tok !== '!') {
        throw new Error(`found '${following.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): Requirement {
    let item = this.next();
    const negated = item.tok === '!';
    if (negated) item = this.next();
    if (item.tok !== 'id') throw new Error(`found '${item.lit}', expected: identifier`);
    const key = item.lit;
    const keyErrors = qualifiedNameErrors(key);
    if (keyErrors.length) throw new Error(invalid('<nil>', key, keyErrors.join('; ')));
    const following = this.peek().tok;
    if (negated || following === 'end' || following === ',') return newRequirement(key, negated ? '!' : 'exists', []);
    const op = this.operator();
    return newRequirement(key, op, op === 'in' || op === 'notin' ? this.valueSet() : this.exactValue());
  }

  private operator(): Op {
    const { tok, lit } = this.next(false);
    const ops: Partial<Record<Token, Op>> = { in: 'in', '=': '=', '==': '==', '>': 'gt', '<': 'lt', notin: 'notin', '!=': '!=' };
    const op = ops[tok];
    if (!op) throw new Error(`found '${lit}', expected: in, notin, =, ==, !=, gt, lt`);
    return op;
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.peek();
    if (tok === ')') {
      this.next();
      return [''];
    }
    if (tok !== 'id' && tok !== ',') throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    const values = this.identifiers();
    if (this.next().tok !== ')') throw new Error(`found '${lit}', expected: ')'`);
    return values;
  }

  private identifiers(): string[] {
    const values = new Set<string>();
    for (;;) {
      const { tok, lit } = this.next();
      if (tok === 'id') {
        values.add(lit);
        const following = this.peek();
        if (following.tok === ',') continue;
        if (following.tok === ')') return [...values];
        throw new Error(`found '${following.lit}', expected: ',' or ')'`);
      }
      if (tok !== ',') throw new Error(`found '${lit}', expected: ',', or identifier`);
      values.add('');
      if (this.peek().tok === ')') return [...values];
      if (this.peek().tok === ',') this.next();
    }
  }

  private exactValue(): string[] {
    const following = this.peek().tok;
    if (following === 'end' || following === ',') return [''];
    const { tok, lit } = this.next();
    if (tok !== 'id') throw new Error(`found '${lit}', expected: identifier`);
    return [lit];
  }
}

// labels.NewRequirement's validation (the key was checked by the parser already).
function newRequirement(key: string, op: Op, values: string[]): Requirement {
  const errors: string[] = [];
  if (op === 'gt' || op === 'lt') {
    values.forEach((v, i) => {
      if (!/^[+-]?\d+$/.test(v)) errors.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
    });
  }
  values.forEach((v, i) => {
    const valueErrors = labelValueErrors(v);
    if (valueErrors.length) errors.push(invalid(`values[${i}][${key}]`, v, valueErrors.join('; ')));
  });
  if (errors.length) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  return { key, op, values };
}

function invalid(path: string, value: string, detail: string): string {
  return `${path}: Invalid value: ${JSON.stringify(value)}: ${detail}`;
}

const QNAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QNAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS_SUBDOMAIN = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const DNS_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MSG = `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join('or ')}regex used for validation is '${fmt}')`;
}

// validation.IsQualifiedName
function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) {
    return [`a qualified name ${regexError(QNAME_MSG, QNAME, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const errors: string[] = [];
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (!prefix) errors.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errors.push('prefix part must be no more than 253 characters');
      if (!new RegExp(`^${DNS_SUBDOMAIN}$`).test(prefix)) errors.push(`prefix part ${regexError(DNS_MSG, DNS_SUBDOMAIN, 'example.com')}`);
    }
  }
  if (!name) errors.push('name part must be non-empty');
  else if (name.length > 63) errors.push('name part must be no more than 63 characters');
  if (!new RegExp(`^${QNAME}$`).test(name)) errors.push(`name part ${regexError(QNAME_MSG, QNAME, 'MyName', 'my.name', '123-abc')}`);
  return errors;
}

// validation.IsValidLabelValue
function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push('must be no more than 63 characters');
  if (!new RegExp(`^(${QNAME})?$`).test(value)) errors.push(regexError(LABEL_VALUE_MSG, `(${QNAME})?`, 'MyValue', 'my_value', '12345'));
  return errors;
}

/**
 * The equality terms of `selector` as a selector string for the cluster ("a=b,c=d"; "" = everything),
 * or the error text ParseToLabelSelector reports (list() throws it as ParseLabelSelector).
 */
export function equalityTerms(selector: string): { selector: string } | { error: string } {
  let requirements: Requirement[];
  try {
    requirements = new Parser(lex(selector)).parse();
  } catch (err) {
    return { error: `couldn't parse the selector string ${JSON.stringify(selector)}: ${(err as Error).message}` };
  }
  const matchLabels = new Map<string, string>();
  for (const { key, op, values } of requirements) {
    if (op === 'gt' || op === 'lt') return { error: `"${op}" isn't supported in label selectors` };
    if (op === '!=') return { error: `"!=" is not a valid label selector operator` };
    if (op === '=' || op === '==') matchLabels.set(key, values[0]!);
  }
  return { selector: [...matchLabels].map(([key, value]) => `${key}=${value}`).join(',') };
}
