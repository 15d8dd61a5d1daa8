const providers = [
  { id: "openai", label: "OpenAI (api.openai.com)" },
  { id: "anthropic", label: "Anthropic Claude" },
];
export default function Picker() {
  return providers.map((p) => p.label).join(", ");
}
