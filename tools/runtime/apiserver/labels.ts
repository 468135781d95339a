// Label selectors in the string syntax of k8s.io/apimachinery/pkg/labels (labels.Parse): the list
// endpoint accepts the full grammar, so set-based terms must filter rather than be ignored.

type Labels = Record<string, string>;
export type LabelMatcher = (labels: Labels | undefined) => boolean;

type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | '>' | '<';
interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

type Token = { type: 'identifier'; text: string } | { type: 'symbol'; text: string } | { type: 'end'; text: '' };

const SYMBOLS = ['!=', '==', '!', '=', '(', ')', ',', '>', '<'];
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function tokenize(selector: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < selector.length) {
    if (/\s/.test(selector[i])) {
      i++;
      continue;
    }
    const symbol = SYMBOLS.find((s) => selector.startsWith(s, i));
    if (symbol) {
      tokens.push({ type: 'symbol', text: symbol });
      i += symbol.length;
      continue;
    }
    let end = i;
    while (end < selector.length && !/\s/.test(selector[end]) && !SYMBOLS.some((s) => selector.startsWith(s, end))) end++;
    tokens.push({ type: 'identifier', text: selector.slice(i, end) });
    i = end;
  }
  tokens.push({ type: 'end', text: '' });
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    if (this.peek().type === 'end') return requirements;
    for (;;) {
      requirements.push(this.requirement());
      const next = this.next();
      if (next.type === 'end') return requirements;
      if (next.text !== ',') throw new Error(`found '${next.text}', expected: ',' or 'end of string'`);
    }
  }

  private requirement(): Requirement {
    const negated = this.peek().text === '!' && this.peek().type === 'symbol';
    if (negated) this.next();
    const key = this.identifier();
    validateKey(key);
    if (negated) return { key, operator: '!', values: [] };
    const after = this.peek();
    if (after.type === 'end' || after.text === ',') return { key, operator: 'exists', values: [] };
    const operator = this.next();
    if (operator.type === 'identifier' && (operator.text === 'in' || operator.text === 'notin')) {
      const values = this.valueSet();
      if (values.length === 0) throw new Error(`for 'in', 'notin' operators, values set can't be empty`);
      return { key, operator: operator.text, values };
    }
    if (operator.type !== 'symbol' || !['=', '==', '!=', '>', '<'].includes(operator.text)) {
      throw new Error(`found '${operator.text}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    const value = this.exactValue();
    if ((operator.text === '>' || operator.text === '<') && !/^-?\d+$/.test(value)) {
      throw new Error(`for 'Gt', 'Lt' operators, the value must be an integer, got "${value}"`);
    }
    return { key, operator: operator.text as Operator, values: [value] };
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.text !== '(') throw new Error(`found '${open.text}', expected: '('`);
    const values: string[] = [];
    if (this.peek().text === ')') {
      this.next();
      return values;
    }
    for (;;) {
      const value = this.peek().type === 'identifier' ? this.next().text : '';
      validateValue(value);
      values.push(value);
      const separator = this.next();
      if (separator.text === ')') return values;
      if (separator.text !== ',') throw new Error(`found '${separator.text}', expected: ',' or ')'`);
    }
  }

  private exactValue(): string {
    const token = this.peek();
    if (token.type === 'end' || token.text === ',') return '';
    if (token.type !== 'identifier') throw new Error(`found '${token.text}', expected: identifier`);
    this.next();
    validateValue(token.text);
    return token.text;
  }

  private identifier(): string {
    const token = this.next();
    if (token.type !== 'identifier') throw new Error(`found '${token.text || 'end of string'}', expected: identifier`);
    return token.text;
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position];
    if (token.type !== 'end') this.position++;
    return token;
  }
}

function validateKey(key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    throw new Error(`invalid label key "${key}": prefix part must be a DNS-1123 subdomain`);
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    throw new Error(`invalid label key "${key}": name part must be 1-63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`);
  }
}

function validateValue(value: string): void {
  if (value !== '' && (value.length > 63 || !NAME.test(value))) {
    throw new Error(`invalid label value "${value}": must be empty or 1-63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`);
  }
}

function matches(requirement: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case '==':
    case 'in':
      return has && requirement.values.includes(value);
    case '!=':
    case 'notin':
      return !has || !requirement.values.includes(value);
    case '>':
    case '<': {
      if (!has || !/^-?\d+$/.test(value)) return false;
      const difference = Number(value) - Number(requirement.values[0]);
      return requirement.operator === '>' ? difference > 0 : difference < 0;
    }
  }
}

/** Parses a selector; comma-separated terms are ANDed. Throws an Error naming the selector when it does not parse. */
export function parseLabelSelector(selector: string): LabelMatcher {
  let requirements: Requirement[];
  try {
    requirements = new Parser(tokenize(selector)).parse();
  } catch (error) {
    throw new Error(`invalid label selector "${selector}": ${(error as Error).message}`);
  }
  return (labels) => requirements.every((requirement) => matches(requirement, labels ?? {}));
}
