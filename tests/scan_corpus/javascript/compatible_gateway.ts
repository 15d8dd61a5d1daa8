import OpenAI from "openai";

// Our LiteLLM proxy speaks the OpenAI API.
const client = new OpenAI({ baseURL: process.env.GATEWAY_URL, apiKey: "sk-internal" });
export const chat = (m: string) => client.chat.completions.create({ model: "default", messages: [{ role: "user", content: m }] });
