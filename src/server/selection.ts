// Which tools a server exposes: profiles combined, then --read-only, --tools and
// --exclude-tools applied. Every mistake is reported at start-up, never at call time.
import { isWritingTool, type AnyToolDefinition } from '../tools/define.js';
import type { Presenter } from '../tools/presenter.js';
import type { Profile } from '../tools/profile.js';

export interface SelectedTool {
  tool: AnyToolDefinition;
  presenter: Presenter;
  profile: string;
}

export interface SelectionOptions {
  readOnly?: boolean;
  /** Allow-list of tool names; empty or undefined means all. */
  tools?: string[];
  excludeTools?: string[];
}

export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}

export function selectTools(profiles: Profile[], opts: SelectionOptions = {}): readonly SelectedTool[] {
  const byName = new Map<string, SelectedTool>();
  for (const profile of profiles) {
    for (const tool of profile.tools) {
      const existing = byName.get(tool.name);
      if (existing) {
        throw new SelectionError(
          `profiles '${existing.profile}' and '${profile.name}' both define the tool '${tool.name}'; they cannot be combined`,
        );
      }
      byName.set(tool.name, { tool, presenter: profile.presenter, profile: profile.name });
    }
  }
  for (const [flag, names] of [['--tools', opts.tools], ['--exclude-tools', opts.excludeTools]] as const) {
    const unknown = (names ?? []).filter((n) => !byName.has(n));
    if (unknown.length > 0) {
      throw new SelectionError(
        `${flag}: unknown tool ${unknown.map((n) => `'${n}'`).join(', ')} (available: ${[...byName.keys()].join(', ')})`,
      );
    }
  }
  const allow = opts.tools && opts.tools.length > 0 ? new Set(opts.tools) : null;
  const deny = new Set(opts.excludeTools ?? []);
  const selected = [...byName.values()].filter(
    ({ tool }) => (!allow || allow.has(tool.name)) && !deny.has(tool.name) && !(opts.readOnly && isWritingTool(tool)),
  );
  return Object.freeze(selected);
}
