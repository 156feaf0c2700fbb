// Argument errors a tool contract needs beyond its published input schema. Legacy contracts
// publish plain `string` / `integer` parameters (no minLength, no pattern, nothing required),
// so a rule the schema cannot carry without changing the contract (an empty customerId, a
// malformed customer code, a negative limit) is checked by the tool, worded in the contract's
// own argument names. This is presentation of the contract's arguments, not a business rule:
// business and security rules live in the services and the domain.
import { invalidField, type ServiceError } from '../services/errors.js';

/** VALIDATION_FAILED on one argument: `text` for the caller, `issue` for the issue list. */
export const argumentError = (field: string, text: string, issue: string = text): ServiceError => invalidField(field, text, issue);
