import { z } from 'zod';
import { defineTool } from '../define.js';
import { CustomerInfo, customerByEmail, emailArg, toCustomerInfo } from './schemas.js';

export default defineTool({
  name: 'get_customer_info',
  title: 'Get customer info',
  description: 'Retrieve customer account details by email address',
  input: z.object({ email: emailArg }),
  output: CustomerInfo,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    return toCustomerInfo(await customerByEmail(ctx, args.email));
  },
});
