import { ChatAnthropic } from "@langchain/anthropic";

export const model = new ChatAnthropic({ model: "claude-3-5-sonnet-latest", temperature: 0 });
