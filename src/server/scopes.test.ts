// Scopes derived from the tool definitions, per profile: read-only tools need read, tools that
// change customer data need write, identity verification needs verify; only OAuth tokens are gated.
import { describe, expect, it } from 'vitest';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { loadAllProfiles } from '../tools/profiles.js';
import { DEFAULT_SCOPES, requiredScope, stepUpScope, toolAllowed, toolListFor } from './scopes.js';
import { selectTools } from './selection.js';

const PROFILES = await loadAllProfiles();

const byScope = (profile: string) => {
  const out: Record<string, string[]> = {};
  for (const t of PROFILES[profile]!.tools) (out[requiredScope(t, DEFAULT_SCOPES)] ??= []).push(t.name);
  return out;
};
const oauth = (scopes: string[]): AuthInfo => ({ token: 't', clientId: 'c', scopes, extra: { scopeGate: { names: DEFAULT_SCOPES } } });

describe('requiredScope', () => {
  it('support profile', () => {
    expect(byScope('support')).toEqual({
      'support:read': [
        'find_customer', 'get_order', 'list_orders', 'get_return', 'get_subscription', 'get_billing', 'get_statement', 'get_ticket',
        'list_cards', 'list_transactions', 'transfer_to_agent',
      ],
      'support:verify': ['verify_identity'],
      'support:write': [
        'cancel_order', 'request_return', 'set_autopay', 'update_contact', 'create_ticket',
        'block_card', 'unblock_card', 'update_preferences', 'schedule_callback', 'cancel_callback',
      ],
    });
  });
  it('banking profile: verify_customer_identity needs verify, create_support_ticket write', () => {
    const b = byScope('banking');
    expect(b['support:verify']).toEqual(['verify_customer_identity']);
    expect(b['support:write']).toContain('create_support_ticket');
  });
});

describe('gating', () => {
  const selection = selectTools([PROFILES.support!]);
  it('static tokens and no auth keep every tool; OAuth tokens see what their scopes allow', () => {
    expect(toolListFor(selection, undefined)).toHaveLength(selection.length);
    expect(toolListFor(selection, { token: 't', clientId: 'c', scopes: [] })).toHaveLength(selection.length);
    expect(toolListFor(selection, oauth([]))).toHaveLength(0);
    expect(toolListFor(selection, oauth(['support:read'])).map((t) => t.name)).toEqual(byScope('support')['support:read']);
    expect(toolListFor(selection, oauth(['support:read'])) ).toBe(toolListFor(selection, oauth(['support:read', 'other'])));
    const cancel = selection.find((s) => s.tool.name === 'cancel_order')!.tool;
    expect(toolAllowed(oauth(['support:read']), cancel)).toBe(false);
    expect(toolAllowed(oauth(['support:write']), cancel)).toBe(true);
  });
  it('step-up asks for what the token had (of ours) plus what is needed', () => {
    expect(stepUpScope(['support:read', 'openid'], 'support:write', DEFAULT_SCOPES)).toBe('support:read support:write');
    expect(stepUpScope([], 'support:verify', DEFAULT_SCOPES)).toBe('support:verify');
  });
});
