// Every tool of every profile is complete: a model-facing description, an output schema,
// all four safety annotations, and an input schema that every major provider accepts.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildToolList, portableInputSchema } from '../../src/server/tool-list.js';
import { selectTools } from '../../src/server/selection.js';
import { loadAllProfiles } from '../../src/tools/profiles.js';

const PROFILES = await loadAllProfiles();

const allTools = Object.values(PROFILES).flatMap((p) => p.tools.map((tool) => ({ profile: p.name, tool })));

describe('tool definitions', () => {
  it.each(allTools.map((t) => [`${t.profile}/${t.tool.name}`, t.tool] as const))('%s is complete', (_label, tool) => {
    expect(tool.name).toMatch(/^[a-z][a-z0-9_]{1,63}$/);
    expect(tool.title.length).toBeGreaterThan(0);
    // Legacy-contract profiles keep their contract's (sometimes short) descriptions verbatim;
    // our own tools must say what they do, when to use them and when not.
    expect(tool.description.trim().length).toBeGreaterThan(_label.startsWith('support/') ? 40 : 10);
    expect(tool.input).toBeInstanceOf(z.ZodObject);
    expect(tool.output).toBeInstanceOf(z.ZodType);
    // All four hints are required by the type (CompleteToolAnnotations); what remains to check is their consistency.
    const a = tool.annotations;
    // A read-only tool cannot also be destructive (the spec says destructive is meaningless then).
    if (a.readOnlyHint) expect(a.destructiveHint).toBe(false);
  });

  it.each(allTools.map((t) => [`${t.profile}/${t.tool.name}`, t.tool] as const))('%s has a portable input schema', (_label, tool) => {
    const schema = portableInputSchema(tool);
    const text = JSON.stringify(schema);
    expect(schema.type).toBe('object');
    expect(text).not.toContain('$schema');
    expect(text).not.toContain('additionalProperties');
    expect(text).not.toContain('$ref');
    // every property carries a description the model can read
    for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, { description?: string }>)) {
      expect(prop.description, `${tool.name}.${name}`).toBeTruthy();
    }
  });

  it('advertises an object output schema for structured profiles', () => {
    const list = buildToolList(selectTools([PROFILES.support!]));
    for (const t of list) {
      expect(t.outputSchema?.type, t.name).toBe('object');
      expect(t.annotations?.title).toBe(t.title);
    }
  });
});

describe('tool selection', () => {
  const support = PROFILES.support!;
  it('--read-only drops every tool that changes customer data, and keeps identity verification and the handoff to a person', () => {
    const names = selectTools([support], { readOnly: true }).map((s) => s.tool.name);
    expect(names).not.toContain('cancel_order');
    expect(names).not.toContain('update_contact');
    expect(names).not.toContain('create_ticket');
    expect(names).not.toContain('set_autopay');
    expect(names).not.toContain('request_return');
    expect(selectTools([PROFILES.billing!], { readOnly: true }).map((s) => s.tool.name)).not.toContain('setup_autopay');
    for (const writer of ['block_card', 'unblock_card', 'update_preferences', 'schedule_callback', 'cancel_callback']) expect(names).not.toContain(writer);
    expect(names).toContain('find_customer');
    // it writes only the handoff queue (a control table): a person stays reachable
    expect(names).toContain('transfer_to_agent');
    // it writes only verification records (the control tables stay writable in read-only mode)
    expect(names).toContain('verify_identity');
    expect(selectTools([support], { readOnly: true }).every((s) => s.tool.annotations.readOnlyHint || s.tool.writesOnlyServerRecords)).toBe(true);
    for (const profile of Object.values(PROFILES)) {
      const kept = selectTools([profile!], { readOnly: true }).map((s) => s.tool);
      for (const t of kept.filter((x) => !x.annotations.readOnlyHint)) expect(t.name).toMatch(/^(verify_(identity|customer_identity)|transfer_to_agent)$/);
    }
  });
  it('--tools keeps only the named tools, --exclude-tools removes them', () => {
    expect(selectTools([support], { tools: ['get_order', 'find_customer'] }).map((s) => s.tool.name).sort()).toEqual(['find_customer', 'get_order']);
    expect(selectTools([support], { excludeTools: ['cancel_order'] }).map((s) => s.tool.name)).not.toContain('cancel_order');
  });
  it('an unknown tool name fails with the list of known names', () => {
    expect(() => selectTools([support], { tools: ['get_ordr'] })).toThrow(/--tools: unknown tool 'get_ordr' \(available: .*get_order/);
    expect(() => selectTools([support], { excludeTools: ['nope'] })).toThrow(/--exclude-tools: unknown tool 'nope'/);
  });
  it('two profiles defining the same tool name cannot be combined', () => {
    expect(() => selectTools([support, { ...support, name: 'copy' }])).toThrow(/profiles 'support' and 'copy' both define the tool 'find_customer'/);
  });
});
