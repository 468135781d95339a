// The one place the controller talks to the model, with the Platform seam mocked: what it sends,
// and that the key never comes back out of it.
import { describe, expect, it } from 'vitest';
import { mock } from 'vitest-mock-extended';
import type { ControllerConfig } from '../../lib/controller/config.ts';
import { callModel } from '../../lib/platform/call-model.ts';
import type { Platform } from '../../lib/platform/platform.ts';

const config: ControllerConfig = {
  apiKey: 'sk-secret',
  baseUrl: 'http://127.0.0.1:9/v1',
  model: { model: 'm', maxTokens: 1000, maxTokensParam: 'max_tokens', toolMode: 'force' },
  jsPolicyNamespace: 'jspolicy',
  extraProtectedNamespaces: [],
};

describe('callModel', () => {
  it('POSTs the body to chat/completions with the key as a bearer token only', () => {
    const platform = mock<Platform>();
    platform.fetch.mockReturnValue({ status: 200, statusText: '200 OK', ok: true, headers: {}, text: () => '{"choices":[]}', json: () => ({}) });
    callModel(platform, config, { model: 'm', messages: [] });
    expect(platform.fetch).toHaveBeenCalledWith('http://127.0.0.1:9/v1/chat/completions', {
      method: 'POST',
      headers: { Authorization: 'Bearer sk-secret', 'Content-Type': 'application/json' },
      body: '{"model":"m","messages":[]}',
    });
  });

  it('scrubs the key from what the server answers', () => {
    const platform = mock<Platform>();
    platform.fetch.mockReturnValue({ status: 401, statusText: '401 Unauthorized', ok: false, headers: {}, text: () => '{"error":{"message":"Incorrect API key provided: sk-secret"}}', json: () => ({}) });
    const reply = callModel(platform, config, { model: 'm', messages: [] });
    expect(reply).toMatchObject({ kind: 'fatal', reason: 'ModelAuthFailed' });
    expect(JSON.stringify(reply)).not.toContain('sk-secret');
  });

  it('turns a transport error (a thrown string) into a transient failure', () => {
    const platform = mock<Platform>();
    platform.fetch.mockImplementation(() => {
      throw 'fetchSync: Post "http://127.0.0.1:9/v1/chat/completions": dial tcp 127.0.0.1:9: connect: connection refused';
    });
    expect(callModel(platform, config, { model: 'm', messages: [] })).toMatchObject({ kind: 'transient', reason: 'ModelUnreachable' });
  });
});
