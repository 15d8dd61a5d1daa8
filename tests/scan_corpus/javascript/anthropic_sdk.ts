import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });

export async function ask(question: string): Promise<string> {
  const msg = await anthropic.messages.create({
    model: "claude-3-5-haiku-latest",
    max_tokens: 1024,
    messages: [{ role: "user", content: question }],
  });
  return msg.content[0].type === "text" ? msg.content[0].text : "";
}
