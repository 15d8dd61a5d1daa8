import type { ChatCompletion } from "openai/resources";

export function render(c: ChatCompletion): string {
  return c.choices.map((x) => x.message.content).join("\n");
}
