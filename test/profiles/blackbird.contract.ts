// The six tool definitions of the blackbird contract, copied verbatim from seed 003
// (aie-onramp/fastapi-demo specs/001-blackbird-refactor/contracts/ai-tools.md).
export interface ContractTool {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}

export const BLACKBIRD_CONTRACT: ContractTool[] = [
  JSON.parse(String.raw`{
  "name": "get_user",
  "description": "Retrieves customer information by searching with email, phone, or username. Returns the customer's full profile including ID, name, email, phone, and username.",
  "input_schema": {
    "type": "object",
    "properties": {
      "key": {
        "type": "string",
        "enum": ["email", "phone", "username"],
        "description": "The field to search by (email, phone, or username)"
      },
      "value": {
        "type": "string",
        "description": "The value to search for in the specified field"
      }
    },
    "required": ["key", "value"]
  }
}`),
  JSON.parse(String.raw`{
  "name": "get_order_by_id",
  "description": "Retrieves order details by order ID. Returns order information including customer ID, product, quantity, price, and current status.",
  "input_schema": {
    "type": "object",
    "properties": {
      "order_id": {
        "type": "string",
        "pattern": "^\\d{5}$",
        "description": "The 5-digit order ID"
      }
    },
    "required": ["order_id"]
  }
}`),
  JSON.parse(String.raw`{
  "name": "get_customer_orders",
  "description": "Retrieves all orders associated with a customer ID. Returns an array of order objects.",
  "input_schema": {
    "type": "object",
    "properties": {
      "customer_id": {
        "type": "string",
        "pattern": "^\\d{7}$",
        "description": "The 7-digit customer ID"
      }
    },
    "required": ["customer_id"]
  }
}`),
  JSON.parse(String.raw`{
  "name": "cancel_order",
  "description": "Cancels an order by changing its status to 'Cancelled'. Only works if the order status is currently 'Processing'. Returns an error if the order has already shipped or been delivered.",
  "input_schema": {
    "type": "object",
    "properties": {
      "order_id": {
        "type": "string",
        "pattern": "^\\d{5}$",
        "description": "The 5-digit order ID to cancel"
      }
    },
    "required": ["order_id"]
  }
}`),
  JSON.parse(String.raw`{
  "name": "update_user_contact",
  "description": "Updates a customer's contact information (email and/or phone number). At least one field must be provided. Returns the updated customer profile.",
  "input_schema": {
    "type": "object",
    "properties": {
      "user_id": {
        "type": "string",
        "pattern": "^\\d{7}$",
        "description": "The 7-digit customer ID"
      },
      "email": {
        "type": "string",
        "format": "email",
        "description": "New email address (optional)"
      },
      "phone": {
        "type": "string",
        "pattern": "^\\d{3}-\\d{3}-\\d{4}$",
        "description": "New phone number in format XXX-XXX-XXXX (optional)"
      }
    },
    "required": ["user_id"],
    "minProperties": 2
  }
}`),
  JSON.parse(String.raw`{
  "name": "get_user_info",
  "description": "Retrieves comprehensive customer information including their profile and all associated orders. This is a convenience method that combines get_user and get_customer_orders.",
  "input_schema": {
    "type": "object",
    "properties": {
      "key": {
        "type": "string",
        "enum": ["email", "phone", "username"],
        "description": "The field to search by (email, phone, or username)"
      },
      "value": {
        "type": "string",
        "description": "The value to search for in the specified field"
      }
    },
    "required": ["key", "value"]
  }
}`),
];
