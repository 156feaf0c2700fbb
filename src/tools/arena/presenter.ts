// How PromptArena (PromptKit's MCP client) wants results: it reads only content[] and isError,
// hands a single text item to the model verbatim, and removes a tool from the model's list
// after two isError results in one turn (promptarena.md §0.4, §2.4). So:
// - success: ONE text item, the JSON object pretty-printed like PromptKit's own mock tools
//   (JSON.stringify(obj, null, 2)); no structuredContent, no outputSchema (structured=false).
// - NOT_FOUND is an answer, not a failure: {"found": false, "message": "..."} with isError unset,
//   so "no such customer" never costs the tool its place in the turn.
// - every other failure (invalid arguments, database, internal) stays isError with one short
//   plain sentence; PromptArena shows it as "Tool execution failed: <text>".
import type { Presenter } from '../presenter.js';

export const arenaPresenter: Presenter = {
  structured: false,
  success: (_tool, value) => ({ content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] }),
  failure: (_tool, f) =>
    f.code === 'NOT_FOUND'
      ? { content: [{ type: 'text', text: JSON.stringify({ found: false, message: f.message }, null, 2) }] }
      : { isError: true, content: [{ type: 'text', text: f.message }] },
};
