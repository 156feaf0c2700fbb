// The realtime-billing workshop's tools return plain Python values that the app serialises
// into the function-call output: a dict, a list, or a sentence. So results are ONE text item
// holding compact JSON (objects and the payment-history array) or the sentence itself, with no
// structuredContent (an array cannot be structuredContent, and the contract has no output schemas).
//
// The contract shows no errors. Ours are one plain-text item with isError: true: the message,
// then what to do next, e.g. "No customer with code TEL-9999. Ask the customer to repeat their
// customer code ...". A voice agent can read it out or act on it even if the bridge between
// MCP and the Realtime API ignores isError.
import type { Presenter, ToolFailure } from '../presenter.js';

/** The message in the contract's words: the customer id is its "customer code". */
export const billingMessage = (f: ToolFailure): string => {
  const d = f.error?.details;
  if (f.code === 'NOT_FOUND' && d?.entity === 'customer' && d.value !== undefined) return `No customer with code ${d.value}.`;
  return f.message;
};

export const billingPresenter: Presenter = {
  structured: false,
  success: (_tool, value) => ({
    content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) }],
  }),
  failure: (_tool, f) => ({ isError: true, content: [{ type: 'text', text: `${billingMessage(f)} ${f.nextStep}` }] }),
};
