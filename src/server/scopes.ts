// OAuth scopes gate tools (issue 17). Each tool needs exactly one scope, derived from its
// definition, never listed by hand:
// - verify: identity verification (writes only the server's own records: writesOnlyServerRecords);
// - write:  tools that change customer data (isWritingTool);
// - read:   everything else (read-only tools).
// Only OAuth tokens are gated: static tokens and unauthenticated loopback HTTP keep every
// tool of the selection, as before. A tool the token's scopes do not allow is absent from
// tools/list, answered 403 insufficient_scope over HTTP (transports/oauth.ts) and refused by
// the tool handler should a call reach it anyway.
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { ErrorCode, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { isWritingTool, type AnyToolDefinition } from '../tools/define.js';
import type { SelectedTool } from './selection.js';
import { buildToolList } from './tool-list.js';

export interface ScopeNames {
  read: string;
  write: string;
  verify: string;
}

export const DEFAULT_SCOPES: ScopeNames = Object.freeze({ read: 'support:read', write: 'support:write', verify: 'support:verify' });

/** The scope a tool needs. */
export const requiredScope = (tool: AnyToolDefinition, names: ScopeNames): string =>
  tool.writesOnlyServerRecords === 'verification' ? names.verify
    // a handoff to a person changes no customer data and shows none: any token may ask for one
    : tool.writesOnlyServerRecords === 'handoff' ? names.read
    : isWritingTool(tool) ? names.write : names.read;

/**
 * What AuthInfo.extra.scopeGate carries for an OAuth token: the names of the configured
 * scopes (the token's own scopes are AuthInfo.scopes). Its absence means "not gated".
 */
export interface ScopeGate {
  names: ScopeNames;
}

const gateOf = (authInfo: AuthInfo | undefined): ScopeGate | undefined => {
  const gate = authInfo?.extra?.['scopeGate'] as ScopeGate | undefined;
  return gate && typeof gate === 'object' && gate.names ? gate : undefined;
};

/**
 * Whether the request's token allows the tool: always, unless the request carries an OAuth
 * token (a scope gate), whose scopes must include the tool's.
 */
export const toolAllowed = (authInfo: AuthInfo | undefined, tool: AnyToolDefinition): boolean => {
  const gate = gateOf(authInfo);
  return gate === undefined || authInfo!.scopes.includes(requiredScope(tool, gate.names));
};

/**
 * The scope to ask for in a step-up (403 insufficient_scope): the token's scopes that this
 * server knows plus the one needed, so a client that re-authorises with exactly this value
 * (the SDK client does) gains the new scope without losing the ones it had.
 */
export const stepUpScope = (granted: readonly string[], needed: string, names: ScopeNames): string => {
  const known = [names.read, names.write, names.verify];
  return [...new Set([...known.filter((s) => granted.includes(s)), needed])].join(' ');
};

const filteredLists = new WeakMap<readonly SelectedTool[], Map<string, Tool[]>>();

/** tools/list for one request: the selection's tools the request's token allows (cached per scope combination). */
export const toolListFor = (selection: readonly SelectedTool[], authInfo: AuthInfo | undefined): Tool[] => {
  const all = buildToolList(selection);
  if (gateOf(authInfo) === undefined) return all;
  const allowed = selection.map((s) => toolAllowed(authInfo, s.tool));
  const key = allowed.map((a) => (a ? '1' : '0')).join('');
  let byKey = filteredLists.get(selection);
  if (!byKey) filteredLists.set(selection, (byKey = new Map()));
  let list = byKey.get(key);
  if (!list) byKey.set(key, (list = all.filter((_t, i) => allowed[i])));
  return list;
};

/** Refusal of a call the token's scopes do not allow (HTTP answers 403 before it gets here). */
export const scopeRefusal = (tool: AnyToolDefinition, authInfo: AuthInfo | undefined): McpError => {
  const gate = gateOf(authInfo);
  const scope = gate ? requiredScope(tool, gate.names) : '';
  return new McpError(ErrorCode.InvalidRequest, `insufficient_scope: ${tool.name} needs the ${scope} scope, which this access token does not carry`);
};
