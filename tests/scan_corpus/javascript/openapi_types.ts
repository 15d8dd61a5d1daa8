// Generated types for our own API; the `openai` word below is a field name.
export interface ProviderConfig {
  openai?: { enabled: boolean };
  anthropic?: { enabled: boolean };
}
export const defaults: ProviderConfig = { openai: { enabled: false } };
