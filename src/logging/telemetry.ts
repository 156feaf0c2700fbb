// Telemetry hooks the domain code calls without knowing whether anything listens: tool
// outcomes (server/call-tool.ts), verification outcomes (services/verification-service.ts),
// rate-limit refusals (services/rate-limiter.ts, transports/http.ts). Each hook is absent
// unless metrics are on (observability/metrics.ts installs them; this module lives with the
// logger so every layer may call it), so the cost when off is one
// property read. Labels carry names and codes only: never a customer id, argument or PII.
export interface TelemetryHooks {
  toolCall?: (tool: string, outcome: 'ok' | 'error', code: string | undefined) => void;
  verification?: (method: string, status: string) => void;
  /** scope: conversation | global | customer | verification | http */
  rateLimited?: (scope: string) => void;
}

export const telemetry: TelemetryHooks = {};
