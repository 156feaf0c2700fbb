import type { AnyToolDefinition } from './define.js';
import type { Presenter } from './presenter.js';

/** A named set of tool definitions plus how their results and errors are presented. */
export interface Profile {
  name: string;
  description: string;
  presenter: Presenter;
  tools: AnyToolDefinition[];
}
