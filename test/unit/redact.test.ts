import { describe, expect, it } from 'vitest';
import { redactMessage } from '../../lib/util/redact.ts';

const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'db-settings', namespace: 'payments', labels: { app: 'db' } },
  data: { password: 'hunter2-Sup3rS3cret!', port: '5432', url: 'postgres://admin@db.internal:5432/main' },
};

describe('redactMessage', () => {
  it('a message that copies the object JSON keeps no value of 6 characters or more', () => {
    const message = 'not allowed: ' + JSON.stringify(configMap.data);
    const redacted = redactMessage(message, configMap);
    expect(redacted).not.toContain('hunter2');
    expect(redacted).not.toContain('Sup3rS3cret');
    expect(redacted).not.toContain('db.internal');
    expect(redacted).toContain('[redacted]');
    expect(redacted.startsWith('not allowed: ')).toBe(true);
  });

  it('a slice of a value is redacted too, and adjacent stretches merge', () => {
    expect(redactMessage('starts with Sup3rS3c, ok', configMap)).toBe('starts with [redacted], ok');
    expect(redactMessage('x hunter2-Sup3rS3cret! y', configMap)).toBe('x [redacted] y');
  });

  it('short values, keys, and the name and namespace the example shows anyway stay', () => {
    expect(redactMessage('ConfigMap payments/db-settings: key password, port 5432', configMap)).toBe('ConfigMap payments/db-settings: key password, port 5432');
  });

  it('numbers count as their text; non-ASCII values are redacted', () => {
    expect(redactMessage('id 1234567 used', { spec: { id: 1234567 } })).toBe('id [redacted] used');
    expect(redactMessage('pw=пароль-секрет', { data: { p: 'пароль-секрет' } })).toBe('pw=[redacted]');
  });

  it('a 5,000-deep object neither throws nor escapes redaction', () => {
    let deep: unknown = { secret: 'deep-secret-value' };
    for (let i = 0; i < 5000; i++) deep = { a: deep };
    expect(redactMessage('got deep-secret-value', deep)).toBe('got [redacted]');
  });

  it('nothing to redact against: the message as it is', () => {
    expect(redactMessage('denied: x', null)).toBe('denied: x');
    expect(redactMessage('abc', configMap)).toBe('abc');
  });
});
